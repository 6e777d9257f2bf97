package io.jfcgi.spawner;

import io.jfcgi.spawner.os.AddressRange;
import io.jfcgi.spawner.os.ListenSocket;
import io.jfcgi.spawner.systemd.SocketActivation;
import io.jfcgi.spawner.status.StatusListen;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything the command line says, validated: see {@link LaunchCommandLine} for the flags. {@code port} is 0 when a
 * unix {@code socketPath} is used instead; names of users and groups are null when not given; durations of zero
 * and counts of zero switch the feature off. {@code allowedClients} is empty when {@code --allow} was not given;
 * {@code activation} is the socket systemd passed, used instead of binding one (then {@code port} is 0 and
 * {@code socketPath} null); null when the launcher binds its own.
 * {@code classDataSharing} is {@code --cds} / {@code --cds-dir}; off by default for .jar and .war children.
 * {@code statusListen} is null without {@code --status-listen}.
 */
public record LaunchOptions(
        InetAddress address,
        int port,
        List<AddressRange> allowedClients,
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
        Duration heartbeatTimeout,
        Duration upgradeTimeout,
        long maxMemoryMiB,
        int maxBootFailures,
        StatusListen statusListen,
        List<String> jvmOptions,
        List<String> program,
        SocketActivation activation,
        ChildOversight oversight,
        ChildClassDataSharing.Choice classDataSharing) {

    public LaunchOptions {
        allowedClients = List.copyOf(allowedClients);
        jvmOptions = List.copyOf(jvmOptions);
        program = List.copyOf(program);
    }

    /**
     * True when the program runs on the JVM as a jfcgi responder: an app.jar ({@code java [jvm options] -jar
     * program args…}), or a web application run by the servlet runner (a .war, or a directory with WEB-INF). Such
     * a child speaks the status channel and gets the JVM flags.
     */
    public boolean isJvmResponder() {
        String first = program.get(0);
        return first.endsWith(".jar") || first.endsWith(".war")
                || java.nio.file.Files.isDirectory(java.nio.file.Path.of(first, "WEB-INF"));
    }

    /** True for a TCP socket that other hosts can reach: bound to something other than a loopback address. */
    public boolean isExposed() {
        return socketPath == null && !address.isLoopbackAddress();
    }

    /**
     * The peers the launcher admits on TCP: the {@code --allow} list and loopback (the host itself is always
     * served); empty when no list was given, which admits every peer that can reach the address.
     */
    public List<AddressRange> admittedClients() {
        if (allowedClients.isEmpty() || socketPath != null) {
            return List.of();
        }
        List<AddressRange> admitted = new ArrayList<>(allowedClients);
        for (AddressRange loopback : List.of(AddressRange.LOOPBACK_V4, AddressRange.LOOPBACK_V6)) {
            if (allowedClients.stream().noneMatch(range -> range.contains(loopback.network()))) {
                admitted.add(loopback);
            }
        }
        return List.copyOf(admitted);
    }

    /** Who may connect, as {@code status} shows it and the start-up line says it. */
    public String clientsDescription() {
        if (socketPath != null) {
            return "local users with access to the socket file (mode " + Integer.toOctalString(socketMode) + ")";
        }
        if (!admittedClients().isEmpty()) {
            return admittedClients().stream().map(AddressRange::toString).collect(Collectors.joining(","));
        }
        return isExposed() ? "any host (no --allow)" : "this host only (loopback)";
    }

    /** The socket, as the logs and status show it. */
    public String listenDescription() {
        if (activation != null) {
            return activation.describe();
        }
        return socketPath != null ? "unix:" + socketPath : ListenSocket.describe(address, port);
    }
}
