package io.jfcgi.servlet.e2e;

import io.jfcgi.fixture.e2e.Processes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The packaged runner jar serving a WAR on a loopback port it binds itself (port 0), as a user would run it. */
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
        Path log = Files.createTempFile(dir, "runner-", ".log");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-jar", JAR.toAbsolutePath().toString(), "--listen", "127.0.0.1:0"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("JFCGI_LOG_LEVEL"); // not the caller's: the port is read from an INFO line
        Processes.Announced runner = Processes.startAnnounced(builder, "jfcgi-servlet-runner", Duration.ofSeconds(30));
        return new RunnerProcess(runner.port(), log, runner.process());
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
