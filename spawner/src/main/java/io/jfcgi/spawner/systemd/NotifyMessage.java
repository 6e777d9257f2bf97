package io.jfcgi.spawner.systemd;

/**
 * The texts of sd_notify(3) messages the launcher sends, one datagram each: newline-separated {@code KEY=VALUE}
 * assignments. Pure: no socket, no clock (the caller passes the time).
 */
public final class NotifyMessage {

    private NotifyMessage() {
    }

    /** The pool serves: every starting child is ready. Names the sender as the main process too. */
    public static String ready(long mainPid, String status) {
        return "READY=1\nMAINPID=" + mainPid + "\nSTATUS=" + oneLine(status);
    }

    /** The rolling reload is done: every child of before the SIGHUP has been replaced. */
    public static String reloaded(String status) {
        return "READY=1\nSTATUS=" + oneLine(status);
    }

    /**
     * SIGHUP accepted. {@code monotonicMicros} is CLOCK_MONOTONIC in µs, which systemd (253+, Type=notify-reload)
     * requires beside RELOADING=1 to tell this reload from an older one.
     */
    public static String reloading(long monotonicMicros) {
        return "RELOADING=1\nMONOTONIC_USEC=" + monotonicMicros + "\nSTATUS=Reloading: replacing every child";
    }

    /** A stop has begun (SIGTERM, SIGINT, SIGQUIT, or giving up). */
    public static String stopping(String why) {
        return "STOPPING=1\nSTATUS=" + oneLine("Stopping: " + why);
    }

    /** The process that systemd is to watch from now on: the daemon after a fork, a new launcher after an upgrade. */
    public static String mainPid(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("MAINPID must be a process id, not " + pid);
        }
        return "MAINPID=" + pid;
    }

    /** A status update alone. */
    public static String status(String status) {
        return "STATUS=" + oneLine(status);
    }

    /** What {@code systemctl status} shows: the children by state and the connections no child has taken yet. */
    public static String load(int idle, int active, int queue) {
        return "Serving: " + idle + " idle, " + active + " active child(ren); listen queue "
                + (queue < 0 ? "unknown" : Integer.toString(queue));
    }

    /** A value may not span lines: a newline would start another assignment. */
    private static String oneLine(String value) {
        return value.replace('\n', ' ');
    }
}
