package io.jfcgi.spawner.upgrade;

/**
 * Where a launcher stands in an upgrade of itself (SIGUSR2), the one owner of that state. Every transition is one
 * synchronized method that moves only from the states it names and says whether it moved, so a second SIGUSR2, or
 * a word from the successor that comes too late, changes nothing.
 *
 * <pre>
 * BOOTING       --serving-->    IDLE           our own pool is up (a successor: once it has taken over)
 * IDLE          --begin-->      STARTING_NEW   SIGUSR2: the successor is started on our socket
 * STARTING_NEW  --newReady-->   HANDING_OVER   the successor's pool serves and it holds the pidfile
 * HANDING_OVER  --handedOver--> RETIRING       our children are retired as at SIGTERM; then we exit
 * STARTING_NEW  --failed-->     FAILED         it exited, gave up, or was not serving within --upgrade-timeout
 * FAILED        --recovered-->  IDLE           it and its children are gone; we serve on as before
 * </pre>
 */
public final class UpgradeState {

    /** The phases; RETIRING is the last one a launcher sees, as it exits once its children have stopped. */
    public enum Phase {
        BOOTING, IDLE, STARTING_NEW, HANDING_OVER, RETIRING, FAILED
    }

    private Phase phase = Phase.BOOTING;

    public synchronized Phase phase() {
        return phase;
    }

    /** Our pool serves: upgrades may start. The supervisor's thread, once. */
    public boolean serving() {
        return move(Phase.BOOTING, Phase.IDLE);
    }

    /** SIGUSR2 (the signal thread): true when this starts an upgrade, false when it is to be ignored. */
    public boolean begin() {
        return move(Phase.IDLE, Phase.STARTING_NEW);
    }

    /** The successor said it serves (the upgrade thread). */
    public boolean newReady() {
        return move(Phase.STARTING_NEW, Phase.HANDING_OVER);
    }

    /** The socket, the pidfile and the main pid are the successor's; our children retire (the upgrade thread). */
    public boolean handedOver() {
        return move(Phase.HANDING_OVER, Phase.RETIRING);
    }

    /** The successor did not come up (the upgrade thread). */
    public boolean failed() {
        return move(Phase.STARTING_NEW, Phase.FAILED);
    }

    /** The failed successor is gone; we serve as before and take the next SIGUSR2 (the upgrade thread). */
    public boolean recovered() {
        return move(Phase.FAILED, Phase.IDLE);
    }

    private synchronized boolean move(Phase from, Phase to) {
        if (phase != from) {
            return false;
        }
        phase = to;
        return true;
    }
}
