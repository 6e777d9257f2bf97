package io.jfcgi.benchmarks;

import io.jfcgi.codec.FastCgiProtocolException;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.NameValuePairDecoder;
import io.jfcgi.codec.NameValuePairs;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.ParamsLimits;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decoding a typical nginx request, as the responder does for every request: records, then the PARAMS stream
 * into pairs, with a fresh decoder per request (one per connection is reused in practice: this is the worse case).
 * {@code paramStrings} adds what a handler pays to look at every parameter as a String, for scale.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeRequestBenchmark {

    private byte[] request;

    @Setup
    public void setUp() {
        request = NginxRequest.bytes();
    }

    @Benchmark
    public List<NameValuePair> decodeRequest(Blackhole hole) throws FastCgiProtocolException {
        RecordDecoder decoder = new RecordDecoder();
        NameValuePairDecoder params = new NameValuePairDecoder(ParamsLimits.DEFAULTS);
        NameValuePairs pairs = new NameValuePairs(); // as the responder keeps them: no object per pair
        ByteBuffer input = ByteBuffer.wrap(request);
        Record record;
        while ((record = decoder.decode(input)) != null) {
            if (record instanceof Params p && !p.isEndOfStream()) {
                params.decode(p.content(), pairs);
            } else {
                hole.consume(record);
            }
        }
        params.finish();
        return pairs;
    }

    @Benchmark
    public void paramStrings(Blackhole hole) throws FastCgiProtocolException {
        for (NameValuePair pair : decodeRequest(hole)) {
            hole.consume(pair.name());
            hole.consume(pair.value());
        }
    }

    /** Bytes of one request on the wire, for the throughput line in docs/benchmarks.md. */
    public static int requestBytes() {
        return NginxRequest.bytes().length;
    }
}
