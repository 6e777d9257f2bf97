package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.fixture.e2e.RequiredTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closed by default, tried from another host as an attacker on the same network would: a network namespace joined
 * by a veth pair sends FastCGI requests to the launcher's port, for a .jar pool and for php-cgi. Without -a the
 * pool is not reachable; with --allow the named host is served and another address on the same network is not;
 * loopback is served in every case.
 */
class AllowListIT {

    private static final Duration START = Duration.ofSeconds(30);
    /** For what `jspawn-fcgi status` shows: each look starts a JVM, seconds apiece on a loaded machine. */
    private static final Duration STATUS = Duration.ofSeconds(30);
    private static final String PHP_CGI = "/usr/bin/php-cgi";

    @TempDir
    Path dir;

    private NetworkNamespace otherHost;
    private final List<Launch> launches = new ArrayList<>();

    @BeforeEach
    void anotherHostOnALink() throws Exception {
        otherHost = NetworkNamespace.create();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Launch launch : launches) {
            launch.close();
        }
        if (otherHost != null) {
            otherHost.close();
        }
    }

    @Test
    void withoutDashAAJarPoolServesLoopbackOnly() throws Exception {
        Launch launch = start("-n", "-p", "0", "--", Launch.FIXTURE.toString());
        int port = launch.port();
        awaitLoopback(port, "/hello");
        assertEquals(1, launch.linesWith("listening on 127.0.0.1:" + port + "; clients: this host only"),
                launch.outputText());
        assertEquals(null, fromOtherHost(otherHost.peerAddress, port, "/hello"), "the other host is not served");
    }

    @Test
    void withoutDashAPhpCgiServesLoopbackOnly() throws Exception {
        RequiredTool.require(PHP_CGI, "php-cgi");
        int port = start("-n", "-p", "0", "--", "php-cgi").port();
        awaitLoopback(port, php());
        assertEquals(null, fromOtherHost(otherHost.peerAddress, port, php()), "the other host is not served");
    }

    @Test
    void allowServesTheNamedHostAndNoOtherAddressOfItsNetworkForAJarPool() throws Exception {
        Launch launch = start("-n", "-a", "0.0.0.0", "-p", "0", "--allow", otherHost.peerAddress,
                "--", Launch.FIXTURE.toString());
        int port = launch.port();
        awaitLoopback(port, "/hello");
        assertEquals("Hello, World!", fromOtherHost(otherHost.peerAddress, port, "/hello"));
        assertEquals(null, fromOtherHost(otherHost.otherPeerAddress, port, "/hello"));
        assertEquals("Hello, World!", Launch.request("127.0.0.1:" + port, "/hello"), "loopback still served");
        assertEquals(0, launch.linesWith("is reachable from other hosts"), "naming the hosts is not a warning: "
                + launch.outputText());
    }

    @Test
    void allowServesTheNamedHostAndNoOtherAddressOfItsNetworkForPhpCgi() throws Exception {
        RequiredTool.require(PHP_CGI, "php-cgi");
        int port = start("-n", "-a", "0.0.0.0", "-p", "0", "--allow", otherHost.peerAddress, "--", "php-cgi").port();
        awaitLoopback(port, php());
        assertEquals("php served", fromOtherHost(otherHost.peerAddress, port, php()));
        assertEquals(null, fromOtherHost(otherHost.otherPeerAddress, port, php()),
                "php-cgi on an inherited socket ignores FCGI_WEB_SERVER_ADDRS: the launcher's filter keeps it out");
    }

    @Test
    void aRangeOnADualStackSocketAdmitsItsIpv4Hosts() throws Exception {
        int port = start("-n", "-a", "::", "-p", "0", "--allow", otherHost.peerAddress + "/32,fd00::/64", "--",
                Launch.FIXTURE.toString()).port();
        awaitLoopback(port, "/hello");
        assertEquals("Hello, World!", fromOtherHost(otherHost.peerAddress, port, "/hello"));
        assertEquals(null, fromOtherHost(otherHost.otherPeerAddress, port, "/hello"));
    }

    @Test
    void anOpenBindWithoutAllowWarnsOnceAndTheStatusSaysWhoMayConnect() throws Exception {
        Path pidFile = dir.resolve("open.pid");
        Launch launch = start("-n", "-a", "0.0.0.0", "-p", "0", "-P", pidFile.toString(), "--",
                Launch.FIXTURE.toString());
        int port = launch.port();
        awaitLoopback(port, "/hello");
        assertEquals(1, launch.linesWith("WARN 0.0.0.0:" + port + " is reachable from other hosts and --allow is "
                + "not set"), launch.outputText());
        assertEquals("Hello, World!", fromOtherHost(otherHost.peerAddress, port, "/hello"),
                "an explicit -a 0.0.0.0 still opens the pool");
        Launch.await(STATUS, "the status written",
                () -> status(pidFile).contains("allowed clients:      any host (no --allow)"));
    }

    @Test
    void theStatusShowsTheAllowList() throws Exception {
        Path pidFile = dir.resolve("allow.pid");
        int port = start("-n", "-a", "0.0.0.0", "-p", "0", "-P", pidFile.toString(), "--allow",
                otherHost.peerAddress, "--", Launch.FIXTURE.toString()).port();
        awaitLoopback(port, "/hello");
        String expected = "allowed clients:      " + otherHost.peerAddress + ",127.0.0.1,::1";
        Launch.await(STATUS, "the allow-list in the status", () -> status(pidFile).contains(expected));
    }

    private Launch start(String... args) throws IOException {
        Launch launch = Launch.of(dir, args);
        launches.add(launch);
        return launch;
    }

    /** A PHP file that says it ran, requested by SCRIPT_FILENAME as an attacker's request would. */
    private String php() throws IOException {
        Path script = dir.resolve("served.php");
        if (!Files.exists(script)) {
            Files.writeString(script, "<?php echo 'php served';");
        }
        return script.toString();
    }

    private static void awaitLoopback(int port, String target) throws InterruptedException {
        Launch.await(START, "served on loopback", () -> {
            try {
                return request(List.of(), "127.0.0.1:" + port, target) != null;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /**
     * The body the pool answers a request from {@code source} on the other host, or null if none came. The filter
     * drops a refused peer's SYN, and the client's --timeout does not bound connect (the kernel retries for two
     * minutes), so the client gets 10 s in all.
     */
    private String fromOtherHost(String source, int port, String target) throws IOException, InterruptedException {
        otherHost.useSource(source);
        return request(otherHost.inside(List.of("timeout", "10")), otherHost.hostAddress + ":" + port, target);
    }

    /**
     * One request through scripts/fcgi-request (run through {@code wrapper}, e.g. in the namespace): {@code target}
     * is a URI for the .jar, or a PHP file's path sent as SCRIPT_FILENAME. The body, or null when none came.
     */
    private static String request(List<String> wrapper, String address, String target)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(Launch.CLIENT.toString(), "--timeout", "3"));
        boolean php = target.endsWith(".php");
        if (php) {
            command.addAll(List.of("-p", "SCRIPT_FILENAME=" + target));
        }
        command.addAll(List.of(address, php ? "/served.php" : target));
        Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!client.waitFor(30, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError("the client did not give up after its timeout");
        }
        assertNotEquals(2, client.exitValue(), "client usage: " + output);
        return client.exitValue() == 0 ? output : null;
    }

    private String status(Path pidFile) {
        try {
            Launch status = Launch.of(dir, "status", "-P", pidFile.toString());
            status.awaitExit(Duration.ofSeconds(20));
            return status.output();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
