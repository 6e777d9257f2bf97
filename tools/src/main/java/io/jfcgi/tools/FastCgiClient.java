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

    /**
     * Connects to a responder by the address forms its {@code --listen} takes.
     *
     * @param address {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code :PORT} (this host) or {@code unix:/path};
     *                the port is 1..65535
     * @param timeout how long each later read may wait for the responder (see {@link #readRecord()}); not
     *                {@code null}. The connect itself has no deadline
     * @return a client on the new connection; close it when done
     * @throws IllegalArgumentException if {@code address} is not one of those forms or its host does not resolve
     * @throws IOException              if the connection cannot be made (refused, no such socket file)
     */
    public static FastCgiClient connect(String address, Duration timeout) throws IOException {
        return connect(ServerAddress.parse(address), timeout);
    }

    /**
     * Connects to a responder at a socket address.
     *
     * @param address an {@link java.net.InetSocketAddress} or a {@link UnixDomainSocketAddress}
     * @param timeout how long each later read may wait for the responder (see {@link #readRecord()}); not
     *                {@code null}. The connect itself has no deadline
     * @return a client on the new connection; close it when done
     * @throws IOException if the connection cannot be made
     */
    public static FastCgiClient connect(SocketAddress address, Duration timeout) throws IOException {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(java.net.StandardProtocolFamily.UNIX) : SocketChannel.open();
        channel.connect(address);
        return new FastCgiClient(channel, timeout);
    }

    /**
     * The raw channel, for tests that speak bytes.
     *
     * @return the connected, blocking channel; bytes read from it directly are lost to {@link #readRecord()}
     */
    public SocketChannel channel() {
        return channel;
    }

    /**
     * Sends one request and collects its response until END_REQUEST. The body is sent from another thread while
     * the response is read, so a responder that answers before reading it all cannot deadlock us.
     *
     * @param requestId the FastCGI request id, 1..65535; records of other requests are collected in
     *                  {@link FastCgiResponse#records()} but otherwise skipped
     * @param role      the role to ask for
     * @param keepConn  whether the responder is to keep the connection open afterwards (FCGI_KEEP_CONN)
     * @param params    the parameters, name to value, sent in the map's order and encoded as UTF-8
     * @param body      the request body (STDIN), read to its end; {@code null} for none. Not sent for an
     *                  AUTHORIZER
     * @param data      the FILTER role's file (DATA), sent after the body; {@code null} or ignored for other roles
     * @return the response, once END_REQUEST for {@code requestId} has arrived
     * @throws java.net.SocketTimeoutException if the responder sends nothing for the timeout
     * @throws IOException                     if the responder closes before END_REQUEST, breaks the protocol, or
     *                                         the connection fails
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

    /**
     * A GET request with no body, as request 1 with FCGI_KEEP_CONN, the way nginx sends it.
     *
     * @param uri         the request URI, path and query, such as {@code /hello?name=x}
     * @param extraParams parameters added to, or replacing, those of {@link #requestParams}, such as
     *                    {@code HTTP_HOST}; empty for none
     * @return the response
     * @throws IOException as {@link #send} says
     */
    public FastCgiResponse get(String uri, Map<String, String> extraParams) throws IOException {
        return send(1, Role.RESPONDER, true, requestParams("GET", uri, extraParams), null, null);
    }

    /**
     * The CGI parameters nginx would send for a request, for {@link #send}.
     *
     * @param method the request method, such as {@code POST}
     * @param uri    the request URI: path and optional {@code ?query}, which give SCRIPT_NAME and QUERY_STRING
     * @param extra  parameters that are added or replace these; empty for none
     * @return a new mutable map, in the order nginx sends them; CONTENT_TYPE and CONTENT_LENGTH are empty unless
     *         {@code extra} sets them
     */
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

    /**
     * Writes raw bytes, for tests of what the responder does with odd input. Has no deadline.
     *
     * @param bytes the bytes from position to limit; all are written, and the position moves to the limit
     * @throws IOException if the connection fails
     */
    public void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * Reads the next record, of any request.
     *
     * @return the record, or {@code null} when the responder has closed the connection. STDOUT and STDERR
     *         content is copied; other records may view the client's input buffer, valid until the next read
     * @throws java.net.SocketTimeoutException if no whole record arrives within the timeout
     * @throws IOException                     if the responder breaks the protocol or the connection fails
     */
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
