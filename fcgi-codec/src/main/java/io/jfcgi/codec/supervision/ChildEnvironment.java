package io.jfcgi.codec.supervision;

/**
 * The variables through which jspawn-fcgi hands its request-watching options to a jfcgi child: the responder reads
 * each as the default of the flag of the same name, so they never mix with the application's own arguments
 * (docs/operations.md). Durations are written as the flags take them, e.g. {@code 1500ms}.
 */
public final class ChildEnvironment {

    /** {@code --slowlog FILE}. */
    public static final String SLOWLOG = "JFCGI_SLOWLOG";
    /** {@code --slowlog-timeout T}. */
    public static final String SLOWLOG_TIMEOUT = "JFCGI_SLOWLOG_TIMEOUT";
    /** {@code --max-queue-wait T}. */
    public static final String MAX_QUEUE_WAIT = "JFCGI_MAX_QUEUE_WAIT";
    /** {@code --access-log=FILE}. */
    public static final String ACCESS_LOG = "JFCGI_ACCESS_LOG";

    private ChildEnvironment() {
    }
}
