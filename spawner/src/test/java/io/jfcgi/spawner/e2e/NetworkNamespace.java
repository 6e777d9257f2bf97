package io.jfcgi.spawner.e2e;

import io.jfcgi.fixture.e2e.RequiredTool;
import static java.lang.ProcessBuilder.Redirect.DISCARD;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Another host for tests: a network namespace joined to this one by a veth pair on a /24 of 10.213.0.0/16 that no
 * interface here uses yet. This side is {@link #hostAddress} (.1); the namespace has {@link #peerAddress} (.2) and
 * {@link #otherPeerAddress} (.3) on the same network. The traffic never leaves the two ends. Needs root (ip netns):
 * skipped otherwise, unless CI=true, where it fails. {@link #close()} deletes the namespace and the pair.
 */
final class NetworkNamespace implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid();

    final String name;
    final String hostAddress;
    final String peerAddress;
    final String otherPeerAddress;
    private final String hostInterface;
    private final String peerInterface;
    private final String subnet;

    private NetworkNamespace(String name, String hostInterface, String peerInterface, int third) {
        this.name = name;
        this.hostInterface = hostInterface;
        this.peerInterface = peerInterface;
        this.subnet = "10.213." + third + ".0/24";
        this.hostAddress = "10.213." + third + ".1";
        this.peerAddress = "10.213." + third + ".2";
        this.otherPeerAddress = "10.213." + third + ".3";
    }

    static NetworkNamespace create() throws IOException, InterruptedException {
        RequiredTool.require("/usr/sbin/ip", "iproute2");
        boolean root = "0".equals(run(List.of("id", "-u")).trim());
        if (!root) {
            String message = "a second host needs root (ip netns); run the tests as root";
            if (RequiredTool.inCi()) {
                throw new IllegalStateException(message + " (CI runs them as root)");
            }
            Assumptions.abort(message + "; skipping");
        }
        int n = COUNTER.incrementAndGet();
        String tag = (PID % 100_000) + "x" + n; // unique per run and per test: names are ≤ 15 bytes
        NetworkNamespace namespace = new NetworkNamespace("jfcgi-" + tag, "jfh" + tag, "jfp" + tag, freeThird(n));
        try {
            namespace.setUp();
        } catch (IOException | RuntimeException e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    private void setUp() throws IOException, InterruptedException {
        run(List.of("ip", "netns", "add", name));
        run(List.of("ip", "link", "add", hostInterface, "type", "veth", "peer", "name", peerInterface));
        run(List.of("ip", "link", "set", peerInterface, "netns", name));
        run(List.of("ip", "addr", "add", hostAddress + "/24", "dev", hostInterface));
        run(List.of("ip", "link", "set", hostInterface, "up"));
        inside("ip", "addr", "add", peerAddress + "/24", "dev", peerInterface);
        inside("ip", "addr", "add", otherPeerAddress + "/24", "dev", peerInterface);
        inside("ip", "link", "set", "lo", "up");
        inside("ip", "link", "set", peerInterface, "up");
        useSource(peerAddress);
    }

    /** Makes {@code address} the source of the namespace's connections to this side (its route's src hint). */
    void useSource(String address) throws IOException, InterruptedException {
        inside("ip", "route", "replace", subnet, "dev", peerInterface, "src", address);
    }

    /** {@code command} as run inside the namespace. */
    List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    private void inside(String... command) throws IOException, InterruptedException {
        run(inside(List.of(command)));
    }

    /** The first 10.213.N.0/24 from a run- and test-dependent start that no address here is in. */
    private static int freeThird(int n) throws IOException, InterruptedException {
        String used = run(List.of("ip", "-o", "-4", "addr", "show"));
        for (int i = 0; i < 250; i++) {
            int third = (int) ((PID + n + i) % 250) + 1;
            if (!used.contains(" 10.213." + third + ".")) {
                return third;
            }
        }
        throw new IllegalStateException("no free /24 in 10.213.0.0/16 for a test network");
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
        }
        return output;
    }

    /** Deletes the namespace (which deletes its end of the pair, and so the pair); quiet if it never existed. */
    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("ip", "netns", "del", name).redirectErrorStream(true).redirectOutput(DISCARD).start()
                .waitFor(20, TimeUnit.SECONDS);
        new ProcessBuilder("ip", "link", "del", hostInterface).redirectErrorStream(true).redirectOutput(DISCARD).start()
                .waitFor(20, TimeUnit.SECONDS);
    }
}
