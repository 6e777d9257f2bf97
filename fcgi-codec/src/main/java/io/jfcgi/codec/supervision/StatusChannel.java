package io.jfcgi.codec.supervision;

import java.util.Map;

/**
 * Where the channel is in a child: two fds beside the listening socket (fd 0) and the output pipe (fds 1, 2),
 * named in the child's environment so that a program started any other way knows it is not supervised.
 */
public final class StatusChannel {

    /** Child → launcher: {@link StatusMessage} lines. */
    public static final int STATUS_FD = 3;
    /** Launcher → child: nothing is written yet; EOF means the launcher has gone. */
    public static final int CONTROL_FD = 4;
    /** The environment variable that holds {@link #STATUS_FD} in a supervised child. */
    public static final String STATUS_FD_VARIABLE = "JSPAWN_FCGI_STATUS_FD";
    /** The environment variable that holds {@link #CONTROL_FD} in a supervised child. */
    public static final String CONTROL_FD_VARIABLE = "JSPAWN_FCGI_CONTROL_FD";

    private StatusChannel() {
    }

    /**
     * The variables the launcher adds to a child's environment.
     *
     * @return an unmodifiable map of variable name to fd number, in decimal
     */
    public static Map<String, String> environment() {
        return Map.of(STATUS_FD_VARIABLE, Integer.toString(STATUS_FD), CONTROL_FD_VARIABLE,
                Integer.toString(CONTROL_FD));
    }
}
