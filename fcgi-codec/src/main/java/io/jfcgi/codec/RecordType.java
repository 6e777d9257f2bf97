package io.jfcgi.codec;

/** The eleven record types of FastCGI 1.0 (§8, Appendix A). */
public enum RecordType {
    BEGIN_REQUEST(1),
    ABORT_REQUEST(2),
    END_REQUEST(3),
    PARAMS(4),
    STDIN(5),
    STDOUT(6),
    STDERR(7),
    DATA(8),
    GET_VALUES(9),
    GET_VALUES_RESULT(10),
    UNKNOWN_TYPE(11);

    private static final RecordType[] BY_CODE = values();

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    /** The type byte on the wire. */
    public int code() {
        return code;
    }

    /** Management records (§3.3) travel with request id 0 and concern the connection, not a request. */
    public boolean isManagement() {
        return this == GET_VALUES || this == GET_VALUES_RESULT || this == UNKNOWN_TYPE;
    }

    /** Stream records (§3.3): zero or more non-empty records closed by one empty record. */
    public boolean isStream() {
        return this == PARAMS || this == STDIN || this == STDOUT || this == STDERR || this == DATA;
    }

    /** The type with this wire code, or {@code null} for a code FastCGI 1.0 does not define. */
    public static RecordType fromCode(int code) {
        return code >= 1 && code <= BY_CODE.length ? BY_CODE[code - 1] : null;
    }
}
