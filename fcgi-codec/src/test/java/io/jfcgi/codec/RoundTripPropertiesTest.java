package io.jfcgi.codec;

import io.jfcgi.codec.Bytes.Chunking;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Properties over random inputs: decode(encode(x)) == x for records and pair lists, whatever the chunking and
 * the padding. Seeded, so a failure names the seed that reproduces it.
 */
class RoundTripPropertiesTest {

    /** 500 by default; mutation testing runs fewer (the property is the same, and each mutant reruns it). */
    private static final int CASES = Integer.getInteger("jfcgi.properties.cases", 500);

    @Test
    void decodingEncodedRecordsGivesThemBack() throws Exception {
        for (int seed = 0; seed < CASES; seed++) {
            Random random = new Random(seed);
            List<Record> records = new ArrayList<>();
            for (int i = 1 + random.nextInt(8); i > 0; i--) {
                records.add(randomRecord(random));
            }
            byte[] wire = Bytes.encodeAll(records.toArray(new Record[0]));
            Chunking chunking = Chunking.values()[random.nextInt(Chunking.values().length)];
            assertEquals(Bytes.coalesce(records), Bytes.decodeAll(wire, chunking), "seed " + seed);
        }
    }

    @Test
    void anyPaddingFrom0To255IsSkipped() throws Exception {
        for (int seed = 0; seed < CASES; seed++) {
            Random random = new Random(seed);
            List<Record> records = new ArrayList<>();
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            for (int i = 1 + random.nextInt(6); i > 0; i--) {
                Record record = randomRecord(random);
                if (RecordEncoder.encodedLength(record) > 65535 + 8) {
                    continue; // one record per header here, so keep to one record's worth
                }
                records.add(record);
                wire.writeBytes(withPadding(record, random.nextInt(256)));
            }
            Chunking chunking = Chunking.values()[random.nextInt(Chunking.values().length)];
            assertEquals(Bytes.coalesce(records), Bytes.decodeAll(wire.toByteArray(), chunking), "seed " + seed);
        }
    }

    @Test
    void decodingEncodedPairsGivesThemBackWhereverTheStreamIsCut() throws Exception {
        for (int seed = 0; seed < CASES; seed++) {
            Random random = new Random(seed);
            List<NameValuePair> pairs = new ArrayList<>();
            for (int i = random.nextInt(20); i > 0; i--) {
                pairs.add(NameValuePair.of(randomBytes(random, randomLength(random)), randomBytes(random, randomLength(random))));
            }
            long length = pairs.stream().mapToLong(NameValuePair::encodedLength).sum();
            ByteBuffer wire = ByteBuffer.allocate((int) length);
            pairs.forEach(pair -> pair.writeTo(wire));
            NameValuePairDecoder decoder = new NameValuePairDecoder(ParamsLimits.UNLIMITED);
            List<NameValuePair> decoded = new ArrayList<>();
            wire.flip();
            while (wire.hasRemaining()) {
                int n = Math.min(wire.remaining(), 1 + random.nextInt(random.nextBoolean() ? 5 : 500));
                decoder.decode(wire.slice(wire.position(), n), decoded);
                wire.position(wire.position() + n);
            }
            decoder.finish();
            assertEquals(pairs, decoded, "seed " + seed);
        }
    }

    /** The record's bytes with {@code padding} instead of the encoder's own. */
    private static byte[] withPadding(Record record, int padding) {
        byte[] encoded = Bytes.toArray(RecordEncoder.encode(record));
        RecordHeader header = RecordHeader.readFrom(ByteBuffer.wrap(encoded));
        ByteBuffer out = ByteBuffer.allocate(8 + header.contentLength() + padding);
        new RecordHeader(1, header.typeCode(), header.requestId(), header.contentLength(), padding).writeTo(out);
        out.put(encoded, 8, header.contentLength());
        return out.array();
    }

    static Record randomRecord(Random random) {
        int id = 1 + random.nextInt(random.nextBoolean() ? 3 : 0xFFFF);
        switch (random.nextInt(12)) {
            case 0: return new BeginRequest(id, random.nextInt(5), random.nextInt(2));
            case 1: return new AbortRequest(id);
            case 2: return new EndRequest(id, random.nextInt(),
                    ProtocolStatus.values()[random.nextInt(ProtocolStatus.values().length)]);
            case 3: return new GetValues(randomPairs(random, true));
            case 4: return new GetValuesResult(randomPairs(random, false));
            case 5: return new UnknownType(random.nextInt(256));
            case 6: return new UnknownRecord(12 + random.nextInt(244), random.nextInt(3),
                    ByteBuffer.wrap(randomBytes(random, random.nextInt(300))));
            default:
                RecordType type = new RecordType[] {RecordType.PARAMS, RecordType.STDIN, RecordType.STDOUT,
                    RecordType.STDERR, RecordType.DATA}[random.nextInt(5)];
                int length = random.nextInt(10) == 0 ? random.nextInt(140_000) : random.nextInt(300);
                return Bytes.stream(type, id, randomBytes(random, length));
        }
    }

    private static List<NameValuePair> randomPairs(Random random, boolean emptyValues) {
        List<NameValuePair> pairs = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            pairs.add(NameValuePair.of(randomBytes(random, randomLength(random)),
                    emptyValues ? new byte[0] : randomBytes(random, randomLength(random))));
        }
        return pairs;
    }

    /** Lengths around the one/four-byte boundary most of the time, sometimes long. */
    private static int randomLength(Random random) {
        switch (random.nextInt(4)) {
            case 0: return random.nextInt(4);
            case 1: return 125 + random.nextInt(6);
            case 2: return random.nextInt(2000);
            default: return random.nextInt(128);
        }
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
