package io.jfcgi.responder;

/**
 * What a connection does once its last request in flight has written its END_REQUEST (§3.5, §5.1). A pure
 * decision: the {@link Connection} acts on it.
 *
 * <pre>
 * keep-conn  stopping  input all read  →
 * yes        no        any               STAY_OPEN  the web server sends its next request when it likes
 * no         any       yes               CLOSE      at once, as libfcgi does: the web server sends nothing more
 * no         any       no                LINGER     output shut down, input drained to EOF: no RST drops the response
 * yes        yes       any               LINGER     the stop: the web server may be sending its next request
 * </pre>
 */
enum AfterRequest {
    STAY_OPEN,
    CLOSE,
    LINGER;

    /**
     * @param keepConn   the request's FCGI_KEEP_CONN flag
     * @param stopping   the server is stopping
     * @param inputWhole the request had read its input to the end (its STDIN's and DATA's empty records)
     */
    static AfterRequest decide(boolean keepConn, boolean stopping, boolean inputWhole) {
        if (keepConn) {
            return stopping ? LINGER : STAY_OPEN;
        }
        return inputWhole ? CLOSE : LINGER;
    }
}
