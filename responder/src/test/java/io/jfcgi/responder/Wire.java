package io.jfcgi.responder;

import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.EndRequest;
import io.jfcgi.codec.FastCgiProtocolException;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordDecoder;
import io.jfcgi.codec.RecordEncoder;
import io.jfcgi.codec.Role;
import io.jfcgi.codec.Stdin;
import io.jfcgi.codec.Stdout;
import io.jfcgi.codec.StreamRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test support: a raw FastCGI connection to a server under test. Builds request bytes with the codec, sends
 * them in whatever order a test wants, and reads back records (copied out of the decoder's buffer) with a
 * deadline, so that a test can check exactly what went over the wire.
 */
final class Wire implements AutoCloseable {

    private final Socket socket;
    private final RecordDecoder decoder = new RecordDecoder();
    private final ByteBuffer input = ByteBuffer.allocate(64 << 10).flip();
    private Record pending;

    Wire(InetSocketAddress address) throws IOException {
        this(address, 0);
    }

    /** With a receive buffer of {@code receiveBuffer} bytes (0: the system's): a small one makes a slow reader. */
    Wire(InetSocketAddress address, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(address, 2000);
        socket.setSoTimeout(5000);
    }

    /** This end's port: with the server's, it names the server's side of the connection in /proc/net/tcp. */
    int localPort() {
        return socket.getLocalPort();
    }

    static byte[] begin(int id, Role role, boolean keep) {
        return bytes(new BeginRequest(id, role, keep));
    }

    static byte[] params(int id, Map<String, String> params) {
        List<NameValuePair> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(NameValuePair.of(k, v)));
        ByteBuffer content = ByteBuffer.allocate((int) pairs.stream().mapToLong(NameValuePair::encodedLength).sum());
        pairs.forEach(p -> p.writeTo(content));
        return concat(content.position() == 0 ? new byte[0] : bytes(new Params(id, content.flip())),
                bytes(Params.endOfStream(id)));
    }

    static Map<String, String> get(String uri) {
        Map<String, String> params = new LinkedHashMap<>();
        int q = uri.indexOf('?');
        params.put("REQUEST_METHOD", "GET");
        params.put("REQUEST_URI", uri);
        params.put("QUERY_STRING", q < 0 ? "" : uri.substring(q + 1));
        params.put("CONTENT_LENGTH", "");
        return params;
    }

    static byte[] stdin(int id, byte[] body) {
        return body.length == 0 ? bytes(Stdin.endOfStream(id)) : bytes(new Stdin(id, ByteBuffer.wrap(body)));
    }

    static byte[] stdinEnd(int id) {
        return bytes(Stdin.endOfStream(id));
    }

    /** BEGIN, PARAMS for GET uri, empty STDIN: what nginx sends for a GET. */
    static byte[] getRequest(int id, String uri, boolean keep) {
        return concat(begin(id, Role.RESPONDER, keep), params(id, get(uri)), stdinEnd(id));
    }

    static byte[] bytes(Record record) {
        ByteBuffer encoded = RecordEncoder.encode(record);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    void send(byte[]... parts) throws IOException {
        socket.getOutputStream().write(concat(parts));
        socket.getOutputStream().flush();
    }

    /** The next record, with its content copied; null at EOF. Fails after 5 s of silence. */
    Record read() throws IOException {
        if (pending != null) {
            Record record = pending;
            pending = null;
            return record;
        }
        while (true) {
            try {
                Record record = decoder.decode(input);
                if (record != null) {
                    return copy(record);
                }
            } catch (FastCgiProtocolException e) {
                throw new IOException("the server broke the protocol: " + e.getMessage(), e);
            }
            byte[] chunk = new byte[64 << 10];
            int n = socket.getInputStream().read(chunk);
            if (n < 0) {
                return null;
            }
            input.clear();
            input.put(chunk, 0, n).flip();
        }
    }

    /** Records up to and including the END_REQUEST for {@code id}. */
    List<Record> readUntilEnd(int id) throws IOException {
        List<Record> records = new ArrayList<>();
        while (true) {
            Record record = read();
            if (record == null) {
                throw new IOException("EOF before END_REQUEST for " + id + "; got " + records);
            }
            records.add(record);
            if (record instanceof EndRequest end && end.requestId() == id) {
                return records;
            }
        }
    }

    /** True if nothing arrives within {@code millis} (and the connection stays open). */
    boolean silentFor(int millis) throws IOException {
        try {
            pending = pending != null ? pending : copyOrNull(decoder.decode(input)); // may be only padding left
        } catch (FastCgiProtocolException e) {
            throw new IOException(e);
        }
        if (pending != null) {
            return false;
        }
        socket.setSoTimeout(millis);
        try {
            int b = socket.getInputStream().read();
            if (b >= 0) {
                input.clear();
                input.put((byte) b).flip();
            }
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(5000);
        }
    }

    /** Every record until the server closes the connection; fails after 5 s of silence. */
    List<Record> readToEnd() throws IOException {
        List<Record> records = new ArrayList<>();
        for (Record record = read(); record != null; record = read()) {
            records.add(record);
        }
        return records;
    }

    /** True if the server closed the connection (EOF) within 5 s. */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                Record record = read();
                if (record == null) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    static String stdoutText(List<Record> records, int id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Record record : records) {
            if (record instanceof Stdout stdout && stdout.requestId() == id) {
                ByteBuffer content = stdout.content();
                byte[] bytes = new byte[content.remaining()];
                content.get(bytes);
                out.writeBytes(bytes);
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static String body(List<Record> records, int id) {
        String text = stdoutText(records, id);
        int blank = text.indexOf("\r\n\r\n");
        return blank < 0 ? text : text.substring(blank + 4);
    }

    private static Record copyOrNull(Record record) {
        return record == null ? null : copy(record);
    }

    private static Record copy(Record record) {
        if (record instanceof StreamRecord stream) {
            ByteBuffer content = stream.content();
            ByteBuffer copy = ByteBuffer.allocate(content.remaining()).put(content).flip();
            switch (stream.type()) {
                case STDOUT: return new Stdout(stream.requestId(), copy);
                case STDERR: return new io.jfcgi.codec.Stderr(stream.requestId(), copy);
                default: throw new IllegalStateException("a responder sent " + stream);
            }
        }
        return record;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
