package io.jfcgi.benchmarks;

import io.jfcgi.codec.FastCgiProtocolException;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordDecoder;
import io.jfcgi.codec.RecordEncoder;
import io.jfcgi.codec.Stdin;
import io.jfcgi.codec.Stdout;
import io.jfcgi.codec.StreamRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Moving a 64 KiB body through the codec. MB/s = 65536 / (ns/op) * 1000. Decoding hands out views of the input
 * ({@code decodeStdin}); the responder then copies each view once into the request's buffer
 * ({@code decodeStdinAndCopy}). Encoding copies into an output buffer or gathers slices without copying.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PayloadBenchmark {

    static final int PAYLOAD = 64 << 10;

    /** How the 64 KiB arrive: nginx reads its socket in 16 KiB and larger pieces. */
    @Param({"16384", "65536"})
    public int chunk;

    private byte[] stdinWire;
    private final byte[] payload = new byte[PAYLOAD];
    private final byte[] destination = new byte[PAYLOAD];
    private final ByteBuffer encoded = ByteBuffer.allocateDirect(PAYLOAD + 64);

    @Setup
    public void setUp() {
        for (int i = 0; i < PAYLOAD; i++) {
            payload[i] = (byte) i;
        }
        ByteBuffer wire = RecordEncoder.encode(new Stdin(1, ByteBuffer.wrap(payload)));
        stdinWire = new byte[wire.remaining()];
        wire.get(stdinWire);
    }

    @Benchmark
    public void decodeStdin(Blackhole hole) throws FastCgiProtocolException {
        RecordDecoder decoder = new RecordDecoder();
        for (int at = 0; at < stdinWire.length; at += chunk) {
            ByteBuffer input = ByteBuffer.wrap(stdinWire, at, Math.min(chunk, stdinWire.length - at));
            Record record;
            while ((record = decoder.decode(input)) != null) {
                hole.consume(record);
            }
        }
    }

    @Benchmark
    public byte[] decodeStdinAndCopy() throws FastCgiProtocolException {
        RecordDecoder decoder = new RecordDecoder();
        int filled = 0;
        for (int at = 0; at < stdinWire.length; at += chunk) {
            ByteBuffer input = ByteBuffer.wrap(stdinWire, at, Math.min(chunk, stdinWire.length - at));
            Record record;
            while ((record = decoder.decode(input)) != null) {
                ByteBuffer content = ((StreamRecord) record).content();
                int n = content.remaining();
                content.get(destination, filled, n);
                filled += n;
            }
        }
        return destination;
    }

    @Benchmark
    public ByteBuffer encodeStdoutCopying() {
        encoded.clear();
        RecordEncoder.encode(new Stdout(1, ByteBuffer.wrap(payload)), encoded);
        return encoded;
    }

    @Benchmark
    public ByteBuffer[] encodeStdoutGathering() {
        return RecordEncoder.encodeGathering(new Stdout(1, ByteBuffer.wrap(payload)));
    }
}
