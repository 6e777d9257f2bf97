package io.jfcgi.spawner.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code bin/jspawn-fcgi} process, its output in a file, and the helpers the tests need to look at it and
 * its children through /proc. Closing it kills the launcher and every child it left.
 */
final class Launch implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path LAUNCHER = ROOT.resolve("bin/jspawn-fcgi");
    static final Path FIXTURE = ROOT.resolve("src-test-fixtures/target/fixture-app.jar");
    static final Path CLIENT = ROOT.resolve("scripts/fcgi-request");
    /** How a launcher names the TCP socket it bound: its start-up line, or a daemon's starting command's line. */
    private static final Pattern BOUND =
            Pattern.compile("(?:listening on|jspawn-fcgi: serving) (?:\\[[0-9a-f:.]+]|[0-9.]+):(\\d+)[;,]");

    final Process process;
    final Path output;

    private Launch(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Runs {@code bash -c script} in {@code directory}; the script refers to the launcher as $JSPAWN. */
    static Launch shell(Path directory, String script) throws IOException {
        Path output = Files.createTempFile(directory, "launcher-", ".log"); // one per launch: tests run several
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("JSPAWN", LAUNCHER.toString());
        builder.environment().put("FIXTURE", FIXTURE.toString());
        return new Launch(builder.start(), output);
    }

    static Launch of(Path directory, String... args) throws IOException {
        StringBuilder script = new StringBuilder("exec \"$JSPAWN\"");
        for (String arg : args) {
            script.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        return shell(directory, script.toString());
    }

    int pid() {
        return (int) process.pid();
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** The output so far, for conditions and messages: "" rather than an exception if it cannot be read. */
    String outputText() {
        try {
            return output();
        } catch (IOException e) {
            return "";
        }
    }

    /** How many lines of the output so far contain {@code text}. */
    long linesWith(String text) {
        return outputText().lines().filter(line -> line.contains(text)).count();
    }

    int awaitExit(Duration timeout) throws InterruptedException, IOException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("jspawn-fcgi did not exit within " + timeout + "; its output:\n" + output());
        }
        return process.exitValue();
    }

    /** The launcher's live children, from /proc. */
    List<Integer> children() {
        return childrenOf(pid());
    }

    static List<Integer> childrenOf(int pid) {
        return ProcessHandle.of(pid).stream().flatMap(ProcessHandle::children)
                .map(child -> (int) child.pid()).sorted().toList();
    }

    static void kill(int pid, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Integer.toString(pid)).inheritIO().start().waitFor();
    }

    /** A file's text, or "" while it does not exist (yet): for conditions that wait for it. */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** The process's command name (/proc/PID/comm), "" once it has gone. */
    static String comm(int pid) {
        return read(Path.of("/proc/" + pid + "/comm")).trim();
    }

    static boolean alive(int pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** One request through the project's FastCGI client; the body, or null when it failed. */
    static String request(String address, String uri) throws IOException, InterruptedException {
        ClientRun run = ClientRun.of(address, uri);
        return run.succeeded() ? run.output() : null;
    }

    /** As {@link #request}, but a failure is said instead of null: the client's exit code and what it printed. */
    static String requestOrWhy(String address, String uri) throws IOException, InterruptedException {
        ClientRun run = ClientRun.of(address, uri);
        return run.succeeded() ? run.output() : "the request failed (exit " + run.exitCode() + "): " + run.output();
    }

    /** One run of the client: its exit code, and what it printed (the body when it succeeded). */
    private record ClientRun(int exitCode, String output) {

        static ClientRun of(String address, String uri) throws IOException, InterruptedException {
            Process client = new ProcessBuilder(CLIENT.toString(), "--timeout", "5", address, uri)
                    .redirectErrorStream(true).start();
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new ClientRun(client.waitFor(), output);
        }

        boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** What {@code jspawn-fcgi status -P pidFile} prints, run in {@code directory}; "" if it cannot be read. */
    static String status(Path directory, Path pidFile) throws InterruptedException {
        try {
            Launch status = of(directory, "status", "-P", pidFile.toString());
            status.awaitExit(Duration.ofSeconds(20));
            return status.output();
        } catch (IOException e) {
            return "";
        }
    }

    /** True when the fixture app answers /hello at {@code address} (false on failure): a condition to wait for. */
    static boolean serves(String address) {
        try {
            return "Hello, World!".equals(request(address, "/hello"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(50);
        }
    }

    /**
     * The port a launcher started with {@code -p 0} bound, as it names it: "listening on HOST:PORT" in its log, or
     * "serving HOST:PORT" from a command that started a daemon. Waits for the line; the socket is bound once, by
     * the launcher, so no other run can take the port in between.
     */
    int port() throws InterruptedException {
        return port(this::outputText);
    }

    /** As {@link #port()}, from {@code text}: the launcher's log file with --log. */
    static int port(Supplier<String> text) throws InterruptedException {
        int[] port = {0};
        await(Duration.ofSeconds(60), "the launcher naming its port", () -> {
            Matcher named = BOUND.matcher(text.get());
            if (named.find()) {
                port[0] = Integer.parseInt(named.group(1));
            }
            return port[0] != 0;
        });
        return port[0];
    }

    /**
     * Kills a launcher and everything under it. The launcher is stopped (SIGSTOP) first so that it cannot start a
     * replacement between the listing of its descendants and their killing.
     */
    static void killTree(int pid) throws IOException, InterruptedException {
        ProcessHandle root = ProcessHandle.of(pid).orElse(null);
        if (root == null || !root.isAlive()) {
            return;
        }
        kill(pid, "STOP");
        List<ProcessHandle> descendants = root.descendants().toList();
        root.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        root.onExit().completeOnTimeout(root, 5, TimeUnit.SECONDS).join();
    }

    /**
     * Waits for a launcher started without -n to put itself in the background, and finds the daemon by its
     * pidfile. The daemon is then the test's to stop however the test ends: read it before asserting anything.
     */
    Daemon daemon(Path pidFile, Duration timeout) throws IOException, InterruptedException {
        boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            killTree(pid());
        }
        int daemon = 0;
        String named = read(pidFile).trim();
        if (!named.isEmpty()) {
            daemon = Integer.parseInt(named);
        }
        return new Daemon(exited ? process.exitValue() : -1, daemon);
    }

    /**
     * A launcher in the background: the exit code of the command that started it (-1: it did not return), and
     * the daemon's pid from its pidfile (0: none). Closing it stops the daemon with TERM as an operator would,
     * then kills whatever is left of it and its children.
     */
    record Daemon(int exitCode, int pid) implements AutoCloseable {
        @Override
        public void close() throws IOException, InterruptedException {
            if (pid == 0 || !alive(pid)) {
                return;
            }
            List<Integer> children = childrenOf(pid);
            kill(pid, "TERM");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (alive(pid) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            killTree(pid);
            children.forEach(child -> ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        killTree(pid());
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
