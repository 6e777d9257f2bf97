package io.jfcgi.codec;

/**
 * FCGI_END_REQUEST (§5.5): the application is done with a request, or rejects it.
 *
 * @param requestId      the request, 1..65535
 * @param appStatus      the would-be CGI exit status; an unsigned 32-bit field carried in an int's bits
 * @param protocolStatus why the request ended
 */
public record EndRequest(int requestId, int appStatus, ProtocolStatus protocolStatus) implements Record {

    /** The body is always eight bytes: appStatus (4), protocolStatus, reserved[3]. */
    public static final int CONTENT_LENGTH = 8;

    /**
     * An END_REQUEST.
     *
     * @param requestId      the request, 1..65535
     * @param appStatus      the would-be CGI exit status; an unsigned 32-bit field carried in an int's bits
     * @param protocolStatus why the request ended; not {@code null}
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535 or {@code protocolStatus} is
     *                                  {@code null}
     */
    public EndRequest {
        Checks.requestId(requestId);
        Checks.notNull("protocolStatus", protocolStatus);
    }

    /**
     * A normal end ({@link ProtocolStatus#REQUEST_COMPLETE}) with this application status.
     *
     * @param requestId the request, 1..65535
     * @param appStatus the would-be CGI exit status, 0 for success
     * @return the END_REQUEST record
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535
     */
    public static EndRequest complete(int requestId, int appStatus) {
        return new EndRequest(requestId, appStatus, ProtocolStatus.REQUEST_COMPLETE);
    }

    /**
     * {@link #appStatus()} read as the unsigned number it is on the wire.
     *
     * @return the application status, 0..4294967295
     */
    public long appStatusUnsigned() {
        return Integer.toUnsignedLong(appStatus);
    }

    @Override
    public int typeCode() {
        return RecordType.END_REQUEST.code();
    }
}
