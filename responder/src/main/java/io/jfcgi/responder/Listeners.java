package io.jfcgi.responder;

import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server's listening sockets: the {@code --listen} addresses, bound here, or else the socket inherited on fd 0,
 * as spawn-fcgi, jspawn-fcgi, lighttpd and systemd ({@code StandardInput=socket}) hand it over. A unix socket file
 * is refused while a server listens on it and replaced when stale. At stop the bound sockets are closed and their
 * files deleted; the inherited socket is never closed. Any thread may call its methods (they lock this).
 */
final class Listeners {

    /** Looked up on first use, so that Log4j's start-up never delays the first request. */
    private static final class Log {
        static final Logger LOG = Loggers.get(Listeners.class);
    }

    /** The accept backlog of the sockets we bind. */
    private static final int BACKLOG = 1024;

    private final List<ServerSocketChannel> channels = new ArrayList<>();
    private final List<Path> socketFiles = new ArrayList<>();
    /** Kept open for the whole life of the process: the JDK points fds 0-2 at /dev/null when it is closed. */
    private ServerSocketChannel inherited;

    /**
     * Binds each of {@code addresses}, or adopts the socket on fd 0 if there are none. A failure leaves what was
     * bound before it open, for {@link #close()} and {@link #deleteSocketFiles()}.
     */
    synchronized void open(List<ListenAddress> addresses) throws IOException {
        if (addresses.isEmpty()) {
            adopt(System.inheritedChannel(), System.getenv());
        } else {
            for (ListenAddress address : addresses) {
                bind(address);
            }
        }
    }

    /** Adopts {@code channel} (what the JDK found on fd 0) as the one listener, or says why it cannot. */
    synchronized void adopt(Channel channel, Map<String, String> env) throws IOException {
        if (!(channel instanceof ServerSocketChannel listener)) {
            String systemdFds = env.get("LISTEN_FDS");
            if (systemdFds != null && !systemdFds.isBlank()) {
                // The JDK adopts only fd 0; systemd's LISTEN_FDS sockets start at fd 3.
                throw new IOException("systemd passed " + systemdFds.trim() + " socket(s) from fd 3 (LISTEN_FDS), "
                        + "which Java cannot adopt: add StandardInput=socket to the service unit so that the socket "
                        + "is fd 0 (one ListenStream=, Accept=no), or pass --listen");
            }
            throw new IOException("no address to listen on and no listening socket on fd 0: pass --listen "
                    + "HOST:PORT or --listen unix:/path, or start under jspawn-fcgi or spawn-fcgi");
        }
        inherited = listener;
        channels.add(listener);
    }

    private void bind(ListenAddress address) throws IOException {
        SocketAddress socketAddress = address.socketAddress();
        ServerSocketChannel channel;
        if (socketAddress instanceof UnixDomainSocketAddress unix) {
            Path path = unix.getPath();
            if (Files.exists(path)) {
                refuseLiveSocket(address, unix);
                Files.delete(path); // stale: nothing listens on it
            }
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(unix, BACKLOG);
            socketFiles.add(path);
        } else {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            try {
                channel.bind(socketAddress, BACKLOG);
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot listen on " + address + ": " + e.getMessage()
                        + " (is another server on that port?)", e);
            }
        }
        channels.add(channel);
    }

    /** A socket file that a connect succeeds on belongs to a live server, which we must not take it from. */
    private static void refuseLiveSocket(ListenAddress address, UnixDomainSocketAddress unix) throws IOException {
        try (SocketChannel probe = SocketChannel.open(unix)) {
            throw new IOException("cannot listen on " + address + ": a server is already listening there");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("already listening")) {
                throw e;
            }
        }
    }

    /** The listening sockets, inherited or bound, in the order of the addresses. */
    synchronized List<ServerSocketChannel> channels() {
        return List.copyOf(channels);
    }

    /** The addresses actually listened on (with the real port when 0 was asked for). */
    synchronized List<SocketAddress> boundAddresses() throws IOException {
        List<SocketAddress> addresses = new ArrayList<>();
        for (ServerSocketChannel listener : channels) {
            addresses.add(listener.getLocalAddress());
        }
        return addresses;
    }

    /** Closes every listener but the inherited one. */
    synchronized void close() {
        for (ServerSocketChannel listener : channels) {
            if (listener != inherited) {
                try {
                    listener.close();
                } catch (IOException e) {
                    Log.LOG.debug("closing {}: {}", listener, e.toString());
                }
            }
        }
    }

    /** Deletes the unix socket files this server bound. */
    synchronized void deleteSocketFiles() {
        for (Path path : socketFiles) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                Log.LOG.warn("could not remove the socket file {}: {}", path, e.toString());
            }
        }
    }
}
