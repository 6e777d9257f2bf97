package io.jfcgi.servlet.e2e;

import io.jfcgi.fixture.e2e.Ports;
import io.jfcgi.fixture.e2e.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The packaged runner jar serving a WAR on a loopback port, as a user would run it. */
final class RunnerProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "jfcgi-servlet-runner.jar");

    final int port;
    final Path log;
    private final Process process;

    private RunnerProcess(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static RunnerProcess start(Path dir, String... args) throws IOException, InterruptedException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run ./mvnw verify (it packages first)");
        }
        int port = Ports.free();
        Path log = dir.resolve("runner-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-jar", JAR.toAbsolutePath().toString(), "--listen", "127.0.0.1:" + port));
        command.addAll(List.of(args));
        try {
            Process process = Processes.startListening(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()), "jfcgi-servlet-runner", Duration.ofSeconds(30), port);
            return new RunnerProcess(port, log, process);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; its output:\n" + Files.readString(log), e);
        }
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        Processes.stop(process);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
