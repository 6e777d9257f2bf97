package io.jfcgi.codec;

/**
 * FCGI_BEGIN_REQUEST (§5.1): starts request {@code requestId} in a role.
 *
 * @param requestId the new request, 1..65535
 * @param roleCode  the role number as sent; {@link #role()} is {@code null} for one FastCGI 1.0 does not
 *                  define, which the application answers with END_REQUEST{UNKNOWN_ROLE}
 * @param flags     the flags byte; only {@link #KEEP_CONN} is defined
 */
public record BeginRequest(int requestId, int roleCode, int flags) implements Record {

    /** FCGI_KEEP_CONN: the application must not close the connection after this request. */
    public static final int KEEP_CONN = 1;
    /** The body is always eight bytes: roleB1, roleB0, flags, reserved[5]. */
    public static final int CONTENT_LENGTH = 8;

    /**
     * A BEGIN_REQUEST as it is on the wire.
     *
     * @param requestId the new request, 1..65535
     * @param roleCode  the role number, 0..65535; any value, since an undefined one is answered, not refused
     * @param flags     the flags byte, 0..255
     * @throws IllegalArgumentException if a value is out of its range
     */
    public BeginRequest {
        Checks.requestId(requestId);
        Checks.range("roleCode", roleCode, 0, 0xFFFF);
        Checks.range("flags", flags, 0, 0xFF);
    }

    /**
     * A BEGIN_REQUEST in a known role.
     *
     * @param requestId the new request, 1..65535
     * @param role      the role; not {@code null}
     * @param keepConn  whether the application is to keep the connection open after the request
     *                  ({@link #KEEP_CONN})
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535 or {@code role} is {@code null}
     */
    public BeginRequest(int requestId, Role role, boolean keepConn) {
        this(requestId, Checks.notNull("role", role).code(), keepConn ? KEEP_CONN : 0);
    }

    /**
     * The role asked for.
     *
     * @return the role, or {@code null} when {@link #roleCode()} is not one FastCGI 1.0 defines
     */
    public Role role() {
        return Role.fromCode(roleCode);
    }

    /**
     * Whether the {@link #KEEP_CONN} flag is set.
     *
     * @return {@code false} if the application closes the connection after answering this request (§5.1)
     */
    public boolean keepConn() {
        return (flags & KEEP_CONN) != 0;
    }

    @Override
    public int typeCode() {
        return RecordType.BEGIN_REQUEST.code();
    }
}
