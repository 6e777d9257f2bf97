package io.jfcgi.servlet.e2e;

import io.jfcgi.fixture.e2e.NginxProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A WAR served by the runner jar behind a real nginx, as a user deploys one: nginx's {@code location} at the
 * context path, the project's fastcgi_params, kept connections.
 */
final class ServedWar implements AutoCloseable {

    static final String FASTCGI_PARAMS = Path.of("..", "nginx-conf", "fastcgi_params").toAbsolutePath().normalize()
            .toString();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final RunnerProcess runner;
    final NginxProcess nginx;

    private ServedWar(RunnerProcess runner, NginxProcess nginx) {
        this.runner = runner;
        this.nginx = nginx;
    }

    /** @param contextPath "/name" (nginx's location too) */
    static ServedWar start(Path dir, Path war, String contextPath) throws IOException, InterruptedException {
        return start(dir, war, contextPath, new String[0]);
    }

    /** @param runnerFlags responder flags for the runner, such as {@code --workers 2} */
    static ServedWar start(Path dir, Path war, String contextPath, String... runnerFlags) throws IOException,
            InterruptedException {
        NginxProcess.assumeInstalled();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(runnerFlags));
        args.addAll(java.util.List.of("--context-path", contextPath, war.toString()));
        RunnerProcess runner = RunnerProcess.start(dir, args.toArray(String[]::new));
        try {
            NginxProcess nginx = NginxProcess.start(dir.resolve("nginx"), String.join("\n",
                    "upstream app { server 127.0.0.1:" + runner.port + "; keepalive 4; }",
                    "server {",
                    "  listen 127.0.0.1:%PORT%;",
                    "  location " + contextPath + " {",
                    "    include " + FASTCGI_PARAMS + ";",
                    "    fastcgi_pass app;",
                    "    fastcgi_keep_conn on;",
                    "  }",
                    "}"));
            return new ServedWar(runner, nginx);
        } catch (IOException | InterruptedException | RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(nginx.url(path))));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create(nginx.url(path));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            nginx.close();
        } finally {
            runner.close();
        }
    }
}
