package io.jfcgi.spawner.status;

/**
 * Where a status connection is in its one request at a time (the status listener does not multiplex). Owned by the
 * listener's thread: every transition is called there, and returns false, changing nothing, from any other state.
 * <pre>
 * from               method                 to
 * IDLE               begin(id, keepConn)    PARAMS      BEGIN_REQUEST for the responder role
 * PARAMS             paramsEnded()          STDIN       the empty PARAMS record
 * STDIN              stdinEnded()           ANSWERING   the empty STDIN record: the page is written
 * PARAMS, STDIN      refuse()               ANSWERING   too large, or aborted: answered at once, then closed
 * ANSWERING          written()              IDLE        the answer is out and the peer keeps the connection
 *                                           CLOSING     otherwise (no FCGI_KEEP_CONN, or refused)
 * </pre>
 */
final class StatusExchange {

    enum Phase { IDLE, PARAMS, STDIN, ANSWERING, CLOSING }

    private Phase phase = Phase.IDLE;
    private int requestId;
    private boolean keepConn;
    private boolean refused;

    /** IDLE → PARAMS: request {@code id} begins. */
    boolean begin(int id, boolean keep) {
        if (phase != Phase.IDLE) {
            return false;
        }
        phase = Phase.PARAMS;
        requestId = id;
        keepConn = keep;
        refused = false;
        return true;
    }

    /** PARAMS → STDIN. */
    boolean paramsEnded() {
        return move(Phase.PARAMS, Phase.STDIN);
    }

    /** STDIN → ANSWERING. */
    boolean stdinEnded() {
        return move(Phase.STDIN, Phase.ANSWERING);
    }

    /** PARAMS or STDIN → ANSWERING, and the connection closes once the answer is out. */
    boolean refuse() {
        if (phase != Phase.PARAMS && phase != Phase.STDIN) {
            return false;
        }
        phase = Phase.ANSWERING;
        refused = true;
        return true;
    }

    /** ANSWERING → IDLE when the peer keeps the connection and the request was not refused; else → CLOSING. */
    boolean written() {
        return move(Phase.ANSWERING, keepConn && !refused ? Phase.IDLE : Phase.CLOSING);
    }

    private boolean move(Phase from, Phase to) {
        if (phase != from) {
            return false;
        }
        phase = to;
        return true;
    }

    Phase phase() {
        return phase;
    }

    /** The request in progress: its id from BEGIN_REQUEST until it is written. */
    boolean isCurrent(int id) {
        return (phase == Phase.PARAMS || phase == Phase.STDIN) && id == requestId;
    }

    int requestId() {
        return requestId;
    }
}
