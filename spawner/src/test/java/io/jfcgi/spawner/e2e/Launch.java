package io.jfcgi.spawner.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real {@code bin/jspawn-fcgi} process, its output in a file, and the helpers the tests need to look at it and
 * its children through /proc. Closing it kills the launcher and every child it left.
 */
final class Launch implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path LAUNCHER = ROOT.resolve("bin/jspawn-fcgi");
    static final Path FIXTURE = ROOT.resolve("src-test-fixtures/target/fixture-app.jar");
    static final Path CLIENT = ROOT.resolve("scripts/fcgi-request");

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
        Process client = new ProcessBuilder(CLIENT.toString(), "--timeout", "5", address, uri)
                .redirectErrorStream(true).start();
        String body = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return client.waitFor() == 0 ? body : null;
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

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        List<Integer> children = children();
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        for (int child : children) {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
