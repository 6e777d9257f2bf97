package io.jfcgi.benchmarks;

import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.RecordEncoder;
import io.jfcgi.codec.Stdout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Encoding a typical response: headers and a 13-byte body in one STDOUT, the empty STDOUT, END_REQUEST. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncodeResponseBenchmark {

    private final byte[] response = ("Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\n"
            + "Hello, World!").getBytes(StandardCharsets.ISO_8859_1);
    private final ByteBuffer out = ByteBuffer.allocateDirect(4096);

    @Benchmark
    public ByteBuffer encodeResponse() {
        out.clear();
        RecordEncoder.encode(new Stdout(1, ByteBuffer.wrap(response)), out);
        RecordEncoder.encode(Stdout.endOfStream(1), out);
        RecordEncoder.encode(EndRequest.complete(1, 0), out);
        return out;
    }
}
