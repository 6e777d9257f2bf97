package io.jfcgi.spawner.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * sd_notify(3) without libsystemd: one unix datagram per message to {@code $NOTIFY_SOCKET}, a path or, with a
 * leading {@code @}, a name in Linux's abstract namespace. Without the variable every call does nothing, so the
 * launcher calls it unconditionally. Safe from any thread: each message opens, sends and closes its own socket
 * (at most a few a second), so no descriptor of ours outlives a send or reaches a child.
 */
public final class SystemdNotify {

    /** Where systemd listens; children never see it (they must not speak for the service). */
    public static final String SOCKET_VARIABLE = "NOTIFY_SOCKET";
    private static final Logger LOG = LogManager.getLogger(SystemdNotify.class);
    private static final SystemdNotify NONE = new SystemdNotify(null, null);

    private final String address;
    private final String shown;

    private SystemdNotify(String address, String shown) {
        this.address = address;
        this.shown = shown;
    }

    /** The socket named by {@code environment}'s {@value #SOCKET_VARIABLE}; a silent one without it. */
    public static SystemdNotify from(Map<String, String> environment) {
        String value = environment.get(SOCKET_VARIABLE);
        if (value == null || value.isEmpty()) {
            return NONE;
        }
        String address = socketAddress(value);
        if (address == null) {
            LOG.warn("{}={} is neither an absolute path nor an abstract name (@name): systemd will not be told "
                    + "how the pool is", SOCKET_VARIABLE, value);
            return NONE;
        }
        return new SystemdNotify(address, value);
    }

    /**
     * The address as sun_path holds it: a path as is, {@code @name} as NUL then name (abstract); null when the
     * value is neither, as sd_notify(3) refuses it.
     */
    static String socketAddress(String value) {
        if (value.startsWith("/")) {
            return value;
        }
        if (value.startsWith("@") && value.length() > 1) {
            return "\0" + value.substring(1);
        }
        return null;
    }

    /** True when systemd (or a test) listens. */
    public boolean isEnabled() {
        return address != null;
    }

    /**
     * Tells systemd that {@code pid} is the service's main process from now on: after the daemon has started
     * (without -n), and by an old launcher handing over to a new one (an upgrade) before it exits. Under
     * {@code NotifyAccess=main} only the current main process may send this.
     */
    public void mainPid(long pid) {
        send(NotifyMessage.mainPid(pid));
    }

    /** Sends {@code message} (see {@link NotifyMessage}); a failure is logged, never thrown: systemd is advisory. */
    public void send(String message) {
        if (address == null) {
            return;
        }
        try (UnixDatagramChannel channel = UnixDatagramChannel.open()) {
            channel.send(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), new UnixSocketAddress(address));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot notify systemd at {} ({}): {}", shown, SOCKET_VARIABLE, e.getMessage());
        }
    }
}
