package io.jfcgi.spawner.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How many connections wait in a TCP listener's accept queue: the rx_queue of its LISTEN row in /proc/net/tcp and
 * tcp6, the figure php-fpm reads through TCP_INFO (research note §3, §9). -1 when unknown (unix sockets, for now).
 */
final class ListenQueue {

    private static final String LISTEN = "0A";

    private ListenQueue() {
    }

    static int tcp(int port) {
        String hexPort = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String row : Files.readAllLines(Path.of(table))) {
                    String[] f = row.trim().split("\\s+");
                    if (f.length > 4 && f[1].endsWith(hexPort) && f[3].equals(LISTEN)) {
                        return Integer.parseInt(f[4].substring(f[4].indexOf(':') + 1), 16);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // No such table (no IPv6) or an unexpected row: try the next.
            }
        }
        return -1;
    }
}
