package io.jfcgi.spawner.systemd;

import io.jfcgi.spawner.UsageException;
import java.util.List;
import java.util.Map;

/**
 * A socket systemd passed (socket activation), as sd_listen_fds(3) reads the environment: {@code LISTEN_PID} must
 * be our pid (else the variables were meant for another process and are ignored), {@code LISTEN_FDS} sockets
 * start at fd 3, {@code LISTEN_FDNAMES} names them. jspawn-fcgi serves one socket, so more than one is refused.
 * Pure: whether fd 3 really is a listening stream socket is checked by {@code ListenSocket.activated}.
 *
 * @param fd the inherited socket (always 3)
 * @param name its FileDescriptorName= (the socket unit's name by default); empty when systemd gave none
 */
public record SocketActivation(int fd, String name) {

    /** SD_LISTEN_FDS_START. */
    public static final int FIRST_FD = 3;
    /** Set by systemd for us alone: cleared for children (a jfcgi responder would refuse to start with them). */
    public static final List<String> VARIABLES = List.of("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES");

    /** The socket passed to process {@code ourPid}, or null when the environment passes none to it. */
    public static SocketActivation of(Map<String, String> environment, long ourPid) throws UsageException {
        String pid = environment.get("LISTEN_PID");
        String fds = environment.get("LISTEN_FDS");
        if (pid == null || fds == null || !pid.trim().equals(Long.toString(ourPid))) {
            return null;
        }
        int count;
        try {
            count = Integer.parseInt(fds.trim());
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 0) {
            throw new UsageException("LISTEN_FDS=" + fds + " is not a number of sockets; the service manager that "
                    + "started jspawn-fcgi passed it wrong");
        }
        if (count == 0) {
            return null;
        }
        String names = environment.getOrDefault("LISTEN_FDNAMES", "");
        if (count > 1) {
            throw new UsageException("systemd passed " + count + " sockets (LISTEN_FDS=" + count
                    + (names.isEmpty() ? "" : ", names " + names) + "); jspawn-fcgi serves one: give the socket "
                    + "unit a single ListenStream=");
        }
        return new SocketActivation(FIRST_FD, names.split(":", -1)[0]);
    }

    /** How logs and the status name it. */
    public String describe() {
        return "fd " + fd + " from systemd" + (name.isEmpty() ? "" : " (" + name + ")");
    }
}
