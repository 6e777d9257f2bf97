package io.jfcgi.codec;

/** The protocolStatus of END_REQUEST (§5.5). */
public enum ProtocolStatus {
    /** Normal end of request. */
    REQUEST_COMPLETE(0),
    /** Rejects a new request on a connection that cannot multiplex. */
    CANT_MPX_CONN(1),
    /** Rejects a new request because the application ran out of some resource. */
    OVERLOADED(2),
    /** Rejects a new request whose role the application does not know. */
    UNKNOWN_ROLE(3);

    private final int code;

    ProtocolStatus(int code) {
        this.code = code;
    }

    /**
     * The protocolStatus byte on the wire.
     *
     * @return 0..3
     */
    public int code() {
        return code;
    }

    /**
     * The status a protocolStatus byte names.
     *
     * @param code the protocolStatus byte as received
     * @return the status, or {@code null} for a code FastCGI 1.0 does not define
     */
    public static ProtocolStatus fromCode(int code) {
        switch (code) {
            case 0: return REQUEST_COMPLETE;
            case 1: return CANT_MPX_CONN;
            case 2: return OVERLOADED;
            case 3: return UNKNOWN_ROLE;
            default: return null;
        }
    }
}
