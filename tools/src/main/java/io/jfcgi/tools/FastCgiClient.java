package io.jfcgi.tools;

import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.Data;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.FastCgiProtocolException;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordDecoder;
import io.jfcgi.codec.RecordEncoder;
import io.jfcgi.codec.Role;
import io.jfcgi.codec.Stderr;
import io.jfcgi.codec.Stdin;
import io.jfcgi.codec.Stdout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small blocking FastCGI client, one request at a time on one connection, the way nginx talks: for tests,
 * health checks and debugging (like {@code cgi-fcgi -bind -connect}). Every call has a deadline.
 */
public final class FastCgiClient implements AutoCloseable {

    private final SocketChannel channel;
    private final RecordDecoder decoder = new RecordDecoder();
    private final ByteBuffer input = ByteBuffer.allocate(64 << 10);
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fcgi-client-writer");
        t.setDaemon(true);
        return t;
    });
    private final Duration timeout;

    private FastCgiClient(SocketChannel channel, Duration timeout) {
        this.channel = channel;
        this.timeout = timeout;
        input.flip();
    }

    /** Connects to HOST:PORT, [IPv6]:PORT, :PORT or unix:/path. */
    public static FastCgiClient connect(String address, Duration timeout) throws IOException {
        return connect(ServerAddress.parse(address), timeout);
    }

    public static FastCgiClient connect(SocketAddress address, Duration timeout) throws IOException {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(java.net.StandardProtocolFamily.UNIX) : SocketChannel.open();
        channel.connect(address);
        return new FastCgiClient(channel, timeout);
    }

    /** The raw channel, for tests that speak bytes. */
    public SocketChannel channel() {
        return channel;
    }

    /**
     * Sends one request and collects its response until END_REQUEST. The body is sent from another thread while
     * the response is read, so a responder that answers before reading it all cannot deadlock us.
     */
    public FastCgiResponse send(int requestId, Role role, boolean keepConn, Map<String, String> params,
                                InputStream body, byte[] data) throws IOException {
        List<NameValuePair> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(NameValuePair.of(k.getBytes(StandardCharsets.UTF_8),
                v.getBytes(StandardCharsets.UTF_8))));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        append(head, new BeginRequest(requestId, role, keepConn));
        ByteBuffer encodedPairs = encodePairs(pairs);
        if (encodedPairs.hasRemaining()) {
            append(head, new Params(requestId, encodedPairs));
        }
        append(head, Params.endOfStream(requestId));
        Future<?> sending = io.submit(() -> {
            write(ByteBuffer.wrap(head.toByteArray()));
            if (role != Role.AUTHORIZER) {
                byte[] chunk = new byte[32 << 10];
                if (body != null) {
                    for (int n; (n = body.read(chunk)) > 0; ) {
                        write(RecordEncoder.encode(new Stdin(requestId, ByteBuffer.wrap(chunk, 0, n))));
                    }
                }
                write(RecordEncoder.encode(Stdin.endOfStream(requestId)));
            }
            if (role == Role.FILTER) {
                if (data != null && data.length > 0) {
                    write(RecordEncoder.encode(new Data(requestId, ByteBuffer.wrap(data))));
                }
                write(RecordEncoder.encode(Data.endOfStream(requestId)));
            }
            return null;
        });
        FastCgiResponse response = readResponse(requestId);
        try {
            sending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // The responder may answer and close before taking the whole body: that is its right.
            sending.cancel(true);
        }
        return response;
    }

    /** GET-style request with no body. */
    public FastCgiResponse get(String uri, Map<String, String> extraParams) throws IOException {
        return send(1, Role.RESPONDER, true, requestParams("GET", uri, extraParams), null, null);
    }

    /** The CGI params nginx would send for {@code method uri}, plus {@code extra}. */
    public static Map<String, String> requestParams(String method, String uri, Map<String, String> extra) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        int q = uri.indexOf('?');
        params.put("REQUEST_METHOD", method);
        params.put("REQUEST_URI", uri);
        params.put("SCRIPT_NAME", q < 0 ? uri : uri.substring(0, q));
        params.put("QUERY_STRING", q < 0 ? "" : uri.substring(q + 1));
        params.put("SERVER_PROTOCOL", "HTTP/1.1");
        params.put("GATEWAY_INTERFACE", "CGI/1.1");
        params.put("REMOTE_ADDR", "127.0.0.1");
        params.put("SERVER_NAME", "localhost");
        params.put("SERVER_PORT", "80");
        params.put("CONTENT_TYPE", "");
        params.put("CONTENT_LENGTH", "");
        params.putAll(extra);
        return params;
    }

    /** Writes raw bytes, for tests of what the responder does with odd input. */
    public void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Reads the next record, or {@code null} at EOF; fails after the timeout. */
    public Record readRecord() throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Record record = decoder.decode(input);
                if (record != null) {
                    return copyContent(record);
                }
            } catch (FastCgiProtocolException e) {
                throw new IOException("the responder broke the protocol: " + e.getMessage(), e);
            }
            input.clear();
            int n = readWithDeadline(deadline);
            if (n < 0) {
                input.flip();
                return null;
            }
            input.flip();
        }
    }

    private int readWithDeadline(long deadline) throws IOException {
        Future<Integer> read = io.submit(() -> channel.read(input));
        try {
            return read.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            read.cancel(true);
            throw new SocketTimeoutException("no response within " + timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private FastCgiResponse readResponse(int requestId) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        List<Record> records = new ArrayList<>();
        while (true) {
            Record record = readRecord();
            if (record == null) {
                throw new IOException("the responder closed the connection before END_REQUEST; got " + records);
            }
            records.add(record);
            if (record.requestId() != requestId) {
                continue;
            }
            if (record instanceof Stdout out) {
                copy(out.content(), stdout);
            } else if (record instanceof Stderr err) {
                copy(err.content(), stderr);
            } else if (record instanceof EndRequest end) {
                return new FastCgiResponse(stdout.toByteArray(), stderr.toByteArray(), end, records);
            }
        }
    }

    private static Record copyContent(Record record) {
        if (record instanceof Stdout out) {
            return new Stdout(out.requestId(), copy(out.content()));
        }
        if (record instanceof Stderr err) {
            return new Stderr(err.requestId(), copy(err.content()));
        }
        return record;
    }

    private static ByteBuffer copy(ByteBuffer content) {
        ByteBuffer copy = ByteBuffer.allocate(content.remaining());
        copy.put(content).flip();
        return copy;
    }

    private static void copy(ByteBuffer content, ByteArrayOutputStream out) {
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        out.writeBytes(bytes);
    }

    private static void append(ByteArrayOutputStream out, Record record) {
        ByteBuffer encoded = RecordEncoder.encode(record);
        out.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
    }

    private static ByteBuffer encodePairs(List<NameValuePair> pairs) {
        long length = 0;
        for (NameValuePair pair : pairs) {
            length += pair.encodedLength();
        }
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(length));
        pairs.forEach(pair -> pair.writeTo(buffer));
        return buffer.flip();
    }

    @Override
    public void close() throws IOException {
        io.shutdownNow();
        channel.close();
    }
}
