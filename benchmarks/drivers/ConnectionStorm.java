import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection storm against a FastCGI responder on loopback: COUNT connects and closes at full speed on THREADS
 * threads, every RST_EVERY-th one closed with a reset (SO_LINGER 0), the rest with FIN; meanwhile a well-behaved
 * client sends a GET /hello every 50 ms on a fresh connection and counts how many are answered. Bounded in count
 * and in time (SECONDS). Run by scripts/connection-storm, or alone:
 *
 * <pre>java benchmarks/drivers/ConnectionStorm.java PORT [COUNT=20000] [RST_EVERY=2] [THREADS=4] [SECONDS=120]</pre>
 *
 * Prints one line: connects, resets, refused connects, probe requests answered/failed, seconds.
 */
public final class ConnectionStorm {

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java ConnectionStorm.java PORT [COUNT] [RST_EVERY] [THREADS] [SECONDS]");
            System.exit(2);
        }
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rstEvery = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(args.length > 4 ? Long.parseLong(args[4]) : 120);

        AtomicInteger next = new AtomicInteger();
        AtomicInteger resets = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        Thread[] storm = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            storm[t] = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count && System.nanoTime() < deadline) {
                    try (Socket socket = new Socket()) {
                        socket.connect(address, 5_000);
                        if (rstEvery > 0 && i % rstEvery == 0) {
                            socket.setSoLinger(true, 0);
                            resets.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            });
            storm[t].start();
        }
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger unanswered = new AtomicInteger();
        AtomicLong lastError = new AtomicLong();
        Thread probe = new Thread(() -> {
            while (isAlive(storm) && System.nanoTime() < deadline) {
                if (hello(address)) {
                    answered.incrementAndGet();
                } else {
                    unanswered.incrementAndGet();
                    lastError.set(System.nanoTime());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        probe.start();
        for (Thread thread : storm) {
            thread.join();
        }
        probe.join();
        boolean after = hello(address);
        int connects = Math.min(next.get(), count);
        System.out.printf("connects %d (resets %d, failed %d) in %.1f s; probe requests answered %d, unanswered %d; "
                + "a request after the storm: %s%n", connects, resets.get(), failed.get(),
                (System.nanoTime() - start) / 1e9, answered.get(), unanswered.get(), after ? "answered" : "UNANSWERED");
        System.exit(unanswered.get() == 0 && after ? 0 : 1);
    }

    private static boolean isAlive(Thread[] threads) {
        for (Thread thread : threads) {
            if (thread.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** GET /hello on a fresh connection (FCGI_RESPONDER, no keep-conn): true if it ends with a 200. */
    private static boolean hello(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(record(1, new byte[] {0, 1, 0, 0, 0, 0, 0, 0}));
            out.write(record(4, params("REQUEST_METHOD", "GET", "REQUEST_URI", "/hello", "SCRIPT_NAME", "/hello")));
            out.write(record(4, new byte[0]));
            out.write(record(5, new byte[0]));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            StringBuilder stdout = new StringBuilder();
            while (true) {
                byte[] header = new byte[8];
                in.readFully(header);
                int type = header[1];
                int length = ((header[4] & 0xff) << 8) | (header[5] & 0xff);
                byte[] content = new byte[length + (header[6] & 0xff)];
                in.readFully(content);
                if (type == 6) {
                    stdout.append(new String(content, 0, length, StandardCharsets.ISO_8859_1));
                } else if (type == 3) {
                    return !stdout.toString().startsWith("Status:") || stdout.toString().startsWith("Status: 200");
                }
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] record(int type, byte[] content) {
        byte[] record = new byte[8 + content.length];
        record[0] = 1;
        record[1] = (byte) type;
        record[3] = 1;
        record[4] = (byte) (content.length >> 8);
        record[5] = (byte) content.length;
        System.arraycopy(content, 0, record, 8, content.length);
        return record;
    }

    private static byte[] params(String... namesAndValues) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            byte[] name = namesAndValues[i].getBytes(StandardCharsets.ISO_8859_1);
            byte[] value = namesAndValues[i + 1].getBytes(StandardCharsets.ISO_8859_1);
            out.write(name.length);
            out.write(value.length);
            out.writeBytes(name);
            out.writeBytes(value);
        }
        return out.toByteArray();
    }
}
