package io.jfcgi.codec;

/**
 * FCGI_ABORT_REQUEST (§5.4): the web server asks the application to abort a request. The application answers
 * with one END_REQUEST of its own, not a library-level acknowledgement.
 *
 * @param requestId the request to abort, 1..65535
 */
public record AbortRequest(int requestId) implements Record {

    /**
     * An ABORT_REQUEST for a request.
     *
     * @param requestId the request to abort, 1..65535
     * @throws IllegalArgumentException if {@code requestId} is outside 1..65535
     */
    public AbortRequest {
        Checks.requestId(requestId);
    }

    @Override
    public int typeCode() {
        return RecordType.ABORT_REQUEST.code();
    }
}
