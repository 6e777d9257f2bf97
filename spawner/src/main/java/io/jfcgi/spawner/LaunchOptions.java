package io.jfcgi.spawner;

import io.jfcgi.spawner.os.ListenSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the command line says, validated: see {@link LaunchCommandLine} for the flags. {@code port} is 0 when a
 * unix {@code socketPath} is used instead; names of users and groups are null when not given; durations of zero
 * and counts of zero switch the feature off.
 */
public record LaunchOptions(
        InetAddress address,
        int port,
        Path socketPath,
        int backlog,
        int socketMode,
        String socketUser,
        String socketGroup,
        String user,
        String group,
        Path chroot,
        boolean bindBeforeChroot,
        Path workDirectory,
        Path pidFile,
        Path logFile,
        boolean foreground,
        Integer phpChildren,
        PoolMode poolMode,
        int startChildren,
        int maxChildren,
        int minSpare,
        int maxSpare,
        int maxRequests,
        int maxRequestsJitter,
        Duration idleTimeout,
        Duration stopTimeout,
        Duration requestTimeout,
        long maxMemoryMiB,
        int maxBootFailures,
        List<String> jvmOptions,
        List<String> program) {

    public LaunchOptions {
        jvmOptions = List.copyOf(jvmOptions);
        program = List.copyOf(program);
    }

    /** True when the program is run as {@code java [jvm options] -jar program args…}. */
    public boolean isJar() {
        return program.get(0).endsWith(".jar");
    }

    /** The socket, as the logs and status show it. */
    public String listenDescription() {
        return socketPath != null ? "unix:" + socketPath : ListenSocket.describe(address, port);
    }
}
