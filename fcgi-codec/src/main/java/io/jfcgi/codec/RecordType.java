package io.jfcgi.codec;

/** The eleven record types of FastCGI 1.0 (§8, Appendix A). */
public enum RecordType {
    /** FCGI_BEGIN_REQUEST: {@link BeginRequest}. */
    BEGIN_REQUEST(1),
    /** FCGI_ABORT_REQUEST: {@link AbortRequest}. */
    ABORT_REQUEST(2),
    /** FCGI_END_REQUEST: {@link EndRequest}. */
    END_REQUEST(3),
    /** FCGI_PARAMS, a stream: {@link Params}. */
    PARAMS(4),
    /** FCGI_STDIN, a stream: {@link Stdin}. */
    STDIN(5),
    /** FCGI_STDOUT, a stream: {@link Stdout}. */
    STDOUT(6),
    /** FCGI_STDERR, a stream: {@link Stderr}. */
    STDERR(7),
    /** FCGI_DATA, a stream: {@link Data}. */
    DATA(8),
    /** FCGI_GET_VALUES, a management record: {@link GetValues}. */
    GET_VALUES(9),
    /** FCGI_GET_VALUES_RESULT, a management record: {@link GetValuesResult}. */
    GET_VALUES_RESULT(10),
    /** FCGI_UNKNOWN_TYPE, a management record: {@link UnknownType}. */
    UNKNOWN_TYPE(11);

    private static final RecordType[] BY_CODE = values();

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    /**
     * The type byte on the wire.
     *
     * @return 1..11
     */
    public int code() {
        return code;
    }

    /**
     * Whether this is a management type (§3.3): such records travel with request id 0 and concern the
     * connection, not a request.
     *
     * @return {@code true} for GET_VALUES, GET_VALUES_RESULT and UNKNOWN_TYPE
     */
    public boolean isManagement() {
        return this == GET_VALUES || this == GET_VALUES_RESULT || this == UNKNOWN_TYPE;
    }

    /**
     * Whether this is a stream type (§3.3): zero or more non-empty records closed by one empty record.
     *
     * @return {@code true} for PARAMS, STDIN, STDOUT, STDERR and DATA
     */
    public boolean isStream() {
        return this == PARAMS || this == STDIN || this == STDOUT || this == STDERR || this == DATA;
    }

    /**
     * The type a wire code names.
     *
     * @param code the type byte as received
     * @return the type, or {@code null} for a code FastCGI 1.0 does not define (0, or 12 and above)
     */
    public static RecordType fromCode(int code) {
        return code >= 1 && code <= BY_CODE.length ? BY_CODE[code - 1] : null;
    }
}
