package io.jfcgi.responder;

/**
 * The application: called once per request. Read the request, write the response, return. An exception that
 * escapes becomes a 500 if the headers have not been sent yet (else the request ends with appStatus 1); it is
 * logged with the request id and URI, and the server goes on.
 *
 * <p><b>Where it runs.</b> On one of two kinds of thread, and it must not care which:
 * <ul>
 * <li>on the I/O thread ({@code fcgi-io-N}) that read the request, when the request arrived whole, alone on its
 *     connection (nginx, Apache and lighttpd send one at a time), a handler slot was free, and handlers have lately
 *     been quick (fewer than half of the last 16 took 200 µs or more). No thread hand-off then, which is most of
 *     jfcgi's speed. A handler that runs longer than 2 ms there is not harmed: the I/O thread's other connections
 *     move to a fresh thread and this one finishes the request;</li>
 * <li>otherwise on a worker ({@code fcgi-worker-N}, or a virtual thread with {@code --virtual-threads}): requests
 *     with a body still streaming in, requests from a web server that multiplexes (HAProxy), and every request
 *     while handlers are slow.</li>
 * </ul>
 * Either way at most {@code --workers} handlers run at once. Blocking (a database call, a file) is fine; thread
 * locals do not carry from one request to the next, and an interrupt means the request was aborted.
 */
@FunctionalInterface
public interface Handler {
    /**
     * Answers one request. The response is finished when this returns: what is buffered is sent, and the request
     * ended; unless the handler called {@link Request#suspend()}, which lets the response go on from another
     * thread while this one goes back to its pool.
     *
     * @param request  the request: parameters, and the body as it arrives
     * @param response where to write status, headers and body; valid only until this returns
     * @throws Exception anything: before the headers went out it becomes a 500, after it the request ends with
     *                   appStatus 1. It is logged as an error, or at debug level when the web server had aborted the
     *                   request (the handler then sees a {@link RequestAbortedException})
     */
    void handle(Request request, Response response) throws Exception;
}
