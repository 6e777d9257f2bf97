package io.jfcgi.responder;

import java.io.IOException;

/**
 * Thrown to a handler that reads the body or writes the response of a request the web server gave up on: it
 * sent ABORT_REQUEST (HAProxy), or closed the connection (how nginx and Apache abort).
 */
public final class RequestAbortedException extends IOException {
    /**
     * An exception that says how the request was aborted.
     *
     * @param message what happened, naming the request and why it was aborted
     */
    public RequestAbortedException(String message) {
        super(message);
    }
}
