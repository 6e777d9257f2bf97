package io.jfcgi.responder;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;

/**
 * Sets a selection key's interest when another thread may close its channel at any moment: a close (a worker's
 * failed write, the watchdog's timeout, a stop) cancels the key, and between a check of {@link SelectionKey#isValid}
 * and {@link SelectionKey#interestOps(int)} that throws {@link CancelledKeyException}, which on an I/O thread was an
 * "unexpected failure" and on the writers' poller ended its thread. A cancelled key needs no interest: whoever
 * closed the channel ends the connection.
 */
final class KeyInterest {

    private KeyInterest() {
    }

    /** Sets {@code key}'s interest to {@code ops}; false, and nothing set, if its channel has been closed. */
    static boolean set(SelectionKey key, int ops) {
        try {
            key.interestOps(ops);
            return true;
        } catch (CancelledKeyException closedMeanwhile) {
            return false;
        }
    }
}
