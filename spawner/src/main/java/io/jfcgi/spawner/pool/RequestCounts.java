package io.jfcgi.spawner.pool;

import io.jfcgi.codec.supervision.StatusMessage;
import java.util.HashMap;
import java.util.Map;

/**
 * The pool's totals of what children count themselves and report in {@code counts} lines: slow requests (slowlog
 * entries), shed requests (over --max-queue-wait), log write failures, requests refused for the memory budget
 * (--max-buffered-bytes) and requests refused for an overload (--workers running and --queue waiting). A child
 * reports running totals, so the last line of each live child counts, and a child that has gone leaves its last
 * totals behind: the pool's figures never go down. Supervisor thread only.
 */
final class RequestCounts {

    private static final StatusMessage.Counts NONE = new StatusMessage.Counts(0, 0, 0, 0, 0);

    private final Map<Integer, StatusMessage.Counts> live = new HashMap<>();
    private StatusMessage.Counts gone = NONE;

    void reported(int pid, StatusMessage.Counts counts) {
        live.put(pid, counts);
    }

    void gone(int pid) {
        StatusMessage.Counts last = live.remove(pid);
        if (last != null) {
            gone = gone.plus(last);
        }
    }

    /** The pool's totals: those of the children that have gone, and each live child's last line. */
    StatusMessage.Counts total() {
        return live.values().stream().reduce(gone, StatusMessage.Counts::plus);
    }
}
