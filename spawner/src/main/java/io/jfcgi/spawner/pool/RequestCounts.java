package io.jfcgi.spawner.pool;

import io.jfcgi.codec.supervision.StatusMessage;
import java.util.HashMap;
import java.util.Map;

/**
 * The pool's totals of what children count themselves and report in {@code counts} lines: slow requests (slowlog
 * entries), shed requests (over --max-queue-wait) and log write failures. A child reports running totals, so the
 * last line of each live child counts, and a child that has gone leaves its last totals behind: the pool's figures
 * never go down. Supervisor thread only.
 */
final class RequestCounts {

    private final Map<Integer, StatusMessage.Counts> live = new HashMap<>();
    private long goneSlow;
    private long goneShed;
    private long goneLogFailures;

    void reported(int pid, StatusMessage.Counts counts) {
        live.put(pid, counts);
    }

    void gone(int pid) {
        StatusMessage.Counts last = live.remove(pid);
        if (last != null) {
            goneSlow += last.slow();
            goneShed += last.shed();
            goneLogFailures += last.logFailures();
        }
    }

    long slow() {
        return goneSlow + live.values().stream().mapToLong(StatusMessage.Counts::slow).sum();
    }

    long shed() {
        return goneShed + live.values().stream().mapToLong(StatusMessage.Counts::shed).sum();
    }

    long logFailures() {
        return goneLogFailures + live.values().stream().mapToLong(StatusMessage.Counts::logFailures).sum();
    }
}
