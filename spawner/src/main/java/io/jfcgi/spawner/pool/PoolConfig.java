package io.jfcgi.spawner.pool;

import io.jfcgi.spawner.PoolMode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the supervisor needs of the launch options.
 *
 * @param name the pool's name in logs and status (the program's file name)
 * @param reporting true when children are expected to speak the status channel (our .jar responders)
 * @param tcpPort the TCP port listened on, for the listen queue; 0 for a unix socket
 * @param statusFile where the status text is written every tick; null for none
 * @param heartbeatTimeout how long a child that sends {@code alive} may be silent before it counts as frozen;
 *     zero for never
 * @param allowedClients who may connect, as the status shows it (the --allow list, or what the bind implies)
 */
public record PoolConfig(
        String name,
        PoolMode mode,
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
        long maxMemoryMiB,
        int maxBootFailures,
        boolean reporting,
        String listen,
        int tcpPort,
        int backlog,
        Path statusFile,
        String allowedClients,
        boolean slowlogInChildren) {
}
