package io.jfcgi.servlet;

/** A request the bridge cannot hand to the application (a malformed path, a form too large): answered 4xx. */
final class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    BadRequestException(String message) {
        this(400, message);
    }

    BadRequestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
