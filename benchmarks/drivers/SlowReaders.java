import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Slow readers against a FastCGI responder on loopback: STALLED raw FastCGI connections each ask for
 * /big?bytes=BYTES and never read a byte (a 4 KiB receive window), then HELLOS sequential /hello requests on
 * another kept connection are timed. Prints how many of the app's connections had a full send queue (handlers
 * blocked in writes), the /hello latencies (p50, p99, max, in ms) and, given the app's PID, its resident memory
 * then (VmRSS, and VmHWM: the peak). Single-file, no dependencies:
 *
 * <pre>java benchmarks/drivers/SlowReaders.java PORT [STALLED [BYTES [HELLOS [PID]]]]</pre>
 *
 * Defaults: 64 connections, 100000000 bytes, 200 requests. A /hello that takes more than 10 s ends the run.
 */
public final class SlowReaders {

    private static final int BEGIN_REQUEST = 1;
    private static final int END_REQUEST = 3;
    private static final int PARAMS = 4;
    private static final int STDIN = 5;

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java SlowReaders.java PORT [STALLED [BYTES [HELLOS [PID]]]]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int stalledCount = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        long bytes = args.length > 2 ? Long.parseLong(args[2]) : 100_000_000L;
        int hellos = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        String pid = args.length > 4 ? args[4] : null;

        List<SocketChannel> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < stalledCount; i++) {
                SocketChannel channel = SocketChannel.open();
                channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096); // before connect: the window is set then
                channel.connect(new InetSocketAddress("127.0.0.1", port));
                channel.write(ByteBuffer.wrap(request("/big?bytes=" + bytes)));
                stalled.add(channel);
            }
            int blocked = awaitBlocked(port, stalledCount);
            System.out.println("stalled connections: " + stalledCount + " x " + bytes + " bytes; app connections with a"
                    + " full send queue: " + blocked);
            long[] millis = timeHellos(port, hellos);
            if (millis == null) {
                return;
            }
            Arrays.sort(millis);
            System.out.printf("/hello x %d: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", hellos,
                    millis[millis.length / 2] / 1e6, millis[(int) Math.ceil(millis.length * 0.99) - 1] / 1e6,
                    millis[millis.length - 1] / 1e6);
            System.out.println("app connections with a full send queue after: " + blockedNow(port));
            if (pid != null) {
                for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                    if (line.startsWith("VmRSS") || line.startsWith("VmHWM") || line.startsWith("Threads")) {
                        System.out.println("app " + line.replaceAll("\\s+", " "));
                    }
                }
            }
        } finally {
            for (SocketChannel channel : stalled) {
                channel.close();
            }
        }
    }

    /** Waits until every stalled request's handler is blocked, or 30 s, or no change for 3 s; returns the count. */
    private static int awaitBlocked(int port, int wanted) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        int last = -1;
        long changed = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int now = blockedNow(port);
            if (now >= wanted) {
                return now;
            }
            if (now != last) {
                last = now;
                changed = System.nanoTime();
            } else if (now > 0 && System.nanoTime() - changed > 3_000_000_000L) {
                return now;
            }
            Thread.sleep(20);
        }
        return blockedNow(port);
    }

    /** The app's established connections whose send queue is not empty, from /proc/net/tcp and tcp6. */
    private static int blockedNow(int port) throws IOException {
        String local = String.format(":%04X", port);
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
        lines.addAll(Files.readAllLines(Path.of("/proc/net/tcp6")));
        int n = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 4 && f[1].endsWith(local) && f[3].equals("01")
                    && Long.parseLong(f[4].substring(0, f[4].indexOf(':')), 16) > 0) {
                n++;
            }
        }
        return n;
    }

    /** Nanoseconds of each /hello, one after another on one kept connection; null if one took over 10 s. */
    private static long[] timeHellos(int port, int count) throws IOException {
        long[] nanos = new long[count];
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] hello = request("/hello");
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                socket.getOutputStream().write(hello);
                try {
                    awaitEnd(in);
                } catch (SocketTimeoutException e) {
                    System.out.println("/hello #" + (i + 1) + ": no answer within 10 s");
                    return null;
                }
                nanos[i] = System.nanoTime() - start;
            }
        }
        return nanos;
    }

    /** Reads records until END_REQUEST. */
    private static void awaitEnd(DataInputStream in) throws IOException {
        byte[] header = new byte[8];
        while (true) {
            in.readFully(header);
            int length = ((header[4] & 0xff) << 8) | (header[5] & 0xff);
            in.skipNBytes(length + (header[6] & 0xff));
            if (header[1] == END_REQUEST) {
                return;
            }
        }
    }

    /** BEGIN_REQUEST (responder, keep the connection), PARAMS for a GET of {@code uri}, an empty STDIN; id 1. */
    private static byte[] request(String uri) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        record(out, BEGIN_REQUEST, new byte[] {0, 1, 1, 0, 0, 0, 0, 0});
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        int q = uri.indexOf('?');
        pair(params, "REQUEST_METHOD", "GET");
        pair(params, "REQUEST_URI", uri);
        pair(params, "SCRIPT_NAME", q < 0 ? uri : uri.substring(0, q));
        pair(params, "QUERY_STRING", q < 0 ? "" : uri.substring(q + 1));
        record(out, PARAMS, params.toByteArray());
        record(out, PARAMS, new byte[0]);
        record(out, STDIN, new byte[0]);
        return out.toByteArray();
    }

    private static void pair(ByteArrayOutputStream out, String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        out.write(n.length); // all under 128 bytes: one length byte each
        out.write(v.length);
        out.writeBytes(n);
        out.writeBytes(v);
    }

    private static void record(ByteArrayOutputStream out, int type, byte[] content) {
        int padding = (8 - content.length % 8) % 8;
        out.writeBytes(new byte[] {1, (byte) type, 0, 1, (byte) (content.length >> 8), (byte) content.length,
                (byte) padding, 0});
        out.writeBytes(content);
        out.writeBytes(new byte[padding]);
    }
}
