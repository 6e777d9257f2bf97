package io.jfcgi.spawner.status;

import io.jfcgi.codec.FastCgiProtocolException;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.Record;
import io.jfcgi.codec.RecordDecoder;
import io.jfcgi.codec.RecordEncoder;
import io.jfcgi.codec.Stdout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A FastCGI peer that sends exactly the records or bytes a test gives, and reads records back (STDOUT copied out,
 * since the decoder hands out views). Blocking: tests bound it with assertTimeoutPreemptively.
 */
final class RawPeer implements AutoCloseable {

    private final SocketChannel channel;
    private final InputStream in;
    private final RecordDecoder decoder = new RecordDecoder();
    private final ByteBuffer pending = ByteBuffer.allocate(1 << 16).flip();
    final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    RawPeer(SocketAddress address) throws IOException {
        channel = SocketChannel.open(address instanceof UnixDomainSocketAddress ? StandardProtocolFamily.UNIX
                : StandardProtocolFamily.INET);
        channel.connect(address);
        in = Channels.newInputStream(channel);
    }

    static Params params(int id, String... namesAndValues) {
        ByteBuffer out = ByteBuffer.allocate(1 << 16);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            NameValuePair.of(namesAndValues[i], namesAndValues[i + 1]).writeTo(out);
        }
        return new Params(id, out.flip());
    }

    RawPeer send(Record... records) throws IOException {
        for (Record record : records) {
            sendBytes(RecordEncoder.encode(record));
        }
        return this;
    }

    RawPeer sendBytes(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        return this;
    }

    RawPeer sendText(String text) throws IOException {
        return sendBytes(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The next record, or null at EOF. STDOUT content is appended to {@link #stdout}. */
    Record next() throws IOException, FastCgiProtocolException {
        while (true) {
            Record record = decoder.decode(pending);
            if (record != null) {
                if (record instanceof Stdout out) {
                    byte[] bytes = new byte[out.content().remaining()];
                    out.content().get(bytes);
                    stdout.write(bytes);
                }
                return record;
            }
            byte[] chunk = new byte[4096];
            int n = in.read(chunk);
            if (n < 0) {
                return null;
            }
            pending.compact().put(chunk, 0, n).flip();
        }
    }

    /** Records up to and including the first of {@code type}, or up to EOF. */
    List<Record> until(Class<? extends Record> type) throws IOException, FastCgiProtocolException {
        List<Record> records = new ArrayList<>();
        Record record;
        while ((record = next()) != null) {
            records.add(record);
            if (type.isInstance(record)) {
                break;
            }
        }
        return records;
    }

    /** True when the server has closed the connection: EOF (or a reset) before any other record. */
    boolean isClosedByPeer() throws IOException {
        try {
            return next() == null;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        } catch (FastCgiProtocolException e) {
            return false;
        }
    }

    String stdoutText() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
