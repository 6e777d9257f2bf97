package io.jfcgi.spawner.pool;

import io.jfcgi.codec.supervision.StatusMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * PIDFILE.status, for {@code jspawn-fcgi status} and scripts/jspawn-fcgictl: the pool and its processes in PHP-FPM's
 * field names ({@link StatusFormat}), with the counters only it shows. Supervisor thread only.
 */
final class StatusFile {

    private static final Logger LOG = LogManager.getLogger(StatusFile.class);
    private static final DateTimeFormatter START_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private final PoolConfig config;
    private final long startedAtMillis;
    private final String startTime = START_TIME.format(ZonedDateTime.now());
    /** Requests served by children that have gone, so that "accepted conn" never goes down. */
    private long servedByGone;
    private int maxActive;
    private int maxListenQueue;
    private long maxChildrenReached;
    /** Requests over --request-timeout: "slow requests" unless the children keep a slowlog, which they count. */
    private long slowRequests;
    private final RequestCounts counts = new RequestCounts();
    private long frozenChildren;

    StatusFile(PoolConfig config, long startedAtMillis) {
        this.config = config;
        this.startedAtMillis = startedAtMillis;
    }

    boolean isWanted() {
        return config.statusFile() != null;
    }

    void childGone(Child child) {
        servedByGone += child.served();
        counts.gone(child.pid);
    }

    void maxChildrenReached() {
        maxChildrenReached++;
    }

    /** A child's {@code counts} line: its slowlog entries, shed requests and log write failures so far. */
    void counted(int pid, StatusMessage.Counts reported) {
        counts.reported(pid, reported);
    }

    void slowRequest() {
        slowRequests++;
    }

    /** A child killed for its silence (--heartbeat-timeout). */
    void frozenChild() {
        frozenChildren++;
    }

    /** Once a tick: the busy children now, for "max active processes". */
    void sampleBusy(long busy) {
        maxActive = Math.max(maxActive, (int) busy);
    }

    /** Rewrites the file, if there is one; {@code queue} is the listen queue as just measured. */
    void write(Children children, int queue, int maxChildren, int bootFailures, long nowMillis) {
        if (!isWanted()) {
            return;
        }
        Path file = config.statusFile();
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, text(children, queue, maxChildren, bootFailures, nowMillis),
                    StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.debug("cannot write the status file {}: {}", file, e.getMessage());
        }
    }

    String text(Children children, int queue, int maxChildren, int bootFailures, long nowMillis) {
        maxListenQueue = Math.max(maxListenQueue, queue);
        List<Map.Entry<String, Object>> pool = List.of(
                Map.entry("pool", config.name()),
                Map.entry("process manager", config.mode().name().toLowerCase(Locale.ROOT)),
                Map.entry("start time", startTime),
                Map.entry("start since", (nowMillis - startedAtMillis) / 1000),
                Map.entry("accepted conn", servedByGone + children.stream().mapToLong(Child::served).sum()),
                Map.entry("listen queue", Math.max(queue, 0)),
                Map.entry("max listen queue", Math.max(maxListenQueue, 0)),
                Map.entry("listen queue len", config.backlog()),
                Map.entry("idle processes", children.count(ChildState.IDLE)),
                Map.entry("active processes", children.count(ChildState.BUSY)),
                Map.entry("total processes", children.size()),
                Map.entry("max active processes", maxActive),
                Map.entry("max children reached", maxChildrenReached),
                Map.entry("slow requests", config.slowlogInChildren() ? counts.slow() : slowRequests),
                Map.entry("shed requests", counts.shed()),
                Map.entry("log failures", counts.logFailures()),
                Map.entry("frozen children", frozenChildren),
                Map.entry("listen", config.listen()),
                Map.entry("allowed clients", config.allowedClients()),
                Map.entry("max children", maxChildren),
                Map.entry("boot failures", bootFailures));
        List<List<Map.Entry<String, Object>>> processes = new ArrayList<>();
        for (Child child : children) {
            processes.add(List.of(
                    Map.entry("pid", child.pid),
                    Map.entry("state", child.state().label()),
                    Map.entry("start since", (nowMillis - child.startedAtMillis) / 1000),
                    Map.entry("requests", child.served()),
                    Map.entry("active requests", child.inFlight()),
                    Map.entry("rss kib", child.rssKiB)));
        }
        return StatusFormat.text(pool, processes);
    }

    void delete() {
        if (isWanted()) {
            try {
                Files.deleteIfExists(config.statusFile());
            } catch (IOException e) {
                // Left behind; status checks the pidfile's lock before trusting it.
            }
        }
    }
}
