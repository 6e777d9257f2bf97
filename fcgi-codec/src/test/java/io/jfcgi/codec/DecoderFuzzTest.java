package io.jfcgi.codec;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz targets for everything that reads bytes from a peer. In a normal build they replay the regression corpus
 * under src/test/resources/io/jfcgi/codec/DecoderFuzzTestInputs/; {@code docs/testing.md} says how to fuzz for
 * longer. The property: whatever the bytes and however they are chunked, the decoders either produce records or
 * throw {@link FastCgiProtocolException}; nothing else escapes, they consume every byte they are given, and what
 * they produce is bounded by what they were given. Inputs named {@code crash-*} are findings, kept as regressions.
 */
class DecoderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void recordDecoderAcceptsAnyBytesInAnyChunks(FuzzedDataProvider data) {
        RecordDecoder decoder = new RecordDecoder();
        long consumed = 0;
        long produced = 0;
        try {
            while (data.remainingBytes() > 0) {
                ByteBuffer chunk = ByteBuffer.wrap(data.consumeBytes(data.consumeInt(1, 300)));
                consumed += chunk.remaining();
                Record record;
                while ((record = decoder.decode(chunk)) != null) {
                    produced += contentOf(record);
                    if (record instanceof Params params) {
                        decodePairs(params.content());
                    }
                }
                assertFalse(chunk.hasRemaining(), "decode returned null before consuming its input");
            }
            assertEquals(consumed, decoder.position());
            decoder.endOfInput();
        } catch (FastCgiProtocolException e) {
            assertTrue(e.offset() >= 0 && e.offset() <= consumed, "offset " + e.offset() + " beyond " + consumed);
        }
        assertTrue(produced <= consumed, "produced " + produced + " content bytes from " + consumed);
    }

    @FuzzTest(maxDuration = "30s")
    void pairDecoderAcceptsAnyBytesInAnyChunks(FuzzedDataProvider data) {
        ParamsLimits limits = new ParamsLimits(data.consumeLong(0, 1 << 20), data.consumeInt(0, 100),
                data.consumeInt(0, 1 << 16), data.consumeInt(0, 1 << 20));
        NameValuePairDecoder decoder = new NameValuePairDecoder(limits);
        List<NameValuePair> pairs = new ArrayList<>();
        long consumed = 0;
        try {
            while (data.remainingBytes() > 0) {
                byte[] chunk = data.consumeBytes(data.consumeInt(1, 64));
                decoder.decode(ByteBuffer.wrap(chunk), pairs);
                consumed += chunk.length;
                assertTrue(pairs.size() <= limits.maxPairs());
            }
            decoder.finish();
        } catch (FastCgiProtocolException e) {
            assertTrue(e.offset() >= 0 && e.offset() <= Math.max(consumed, limits.maxStreamBytes()) + 64, e.getMessage());
            return;
        }
        long bytes = 0;
        for (NameValuePair pair : pairs) {
            assertTrue(pair.nameLength() <= limits.maxNameLength() && pair.valueLength() <= limits.maxValueLength());
            bytes += pair.encodedLength();
        }
        // Re-encoding is canonical; the input may have spent four bytes on a length under 128, which §3.4 allows.
        assertTrue(bytes <= consumed, "pairs re-encode to " + bytes + " bytes, more than the " + consumed + " read");
    }

    private static void decodePairs(ByteBuffer content) {
        try {
            new NameValuePairDecoder(ParamsLimits.DEFAULTS).decode(content, new ArrayList<>());
        } catch (FastCgiProtocolException expected) {
            // malformed pairs are the point of the exercise
        }
    }

    private static long contentOf(Record record) {
        if (record instanceof StreamRecord stream) {
            return stream.contentLength();
        }
        if (record instanceof UnknownRecord unknown) {
            return unknown.content().remaining();
        }
        return 0;
    }
}
