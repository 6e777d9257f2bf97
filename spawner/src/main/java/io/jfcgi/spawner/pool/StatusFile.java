package io.jfcgi.spawner.pool;

import io.jfcgi.codec.supervision.StatusMessage;
import io.jfcgi.spawner.status.StatusSnapshot;
import io.jfcgi.spawner.status.TextPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The pool's status: a {@link StatusSnapshot} in PHP-FPM's field names, with the counters only it shows (recycle
 * reasons, heartbeat ages), taken every tick for the status listener, and written as text to PIDFILE.status for
 * {@code jspawn-fcgi status} and scripts/jspawn-fcgictl. Supervisor thread only.
 */
final class StatusFile {

    private static final Logger LOG = LogManager.getLogger(StatusFile.class);
    private static final DateTimeFormatter START_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private final PoolConfig config;
    private final long startedAtMillis;
    /** Formatted at the first write, after the first spawn: the month's name loads CLDR's locale data (~15 ms). */
    private final Instant startedAt = Instant.now();
    private String startTime;
    /** Requests served by children that have gone, so that "accepted conn" never goes down. */
    private long servedByGone;
    private int maxActive;
    private int maxListenQueue;
    private long maxChildrenReached;
    /** Requests over --request-timeout: "slow requests" unless the children keep a slowlog, which they count. */
    private long slowRequests;
    private final RequestCounts counts = new RequestCounts();
    private long frozenChildren;
    private final EnumMap<Recycle, Long> recycled = new EnumMap<>(Recycle.class);

    StatusFile(PoolConfig config, long startedAtMillis) {
        this.config = config;
        this.startedAtMillis = startedAtMillis;
    }

    private String startTime() {
        if (startTime == null) {
            startTime = START_TIME.format(startedAt.atZone(ZoneId.systemDefault()));
        }
        return startTime;
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

    /**
     * A child's {@code counts} line: its slowlog entries, shed requests, log failures, budget and overload refusals
     * so far.
     */
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

    /** A child replaced, or gone and replaced, for {@code why}. */
    void recycled(Recycle why) {
        recycled.merge(why, 1L, Long::sum);
    }

    /** Once a tick: the busy children now, for "max active processes". */
    void sampleBusy(long busy) {
        maxActive = Math.max(maxActive, (int) busy);
    }

    /** Rewrites the file, if there is one, with {@code snapshot}. */
    void write(StatusSnapshot snapshot) {
        if (!isWanted()) {
            return;
        }
        Path file = config.statusFile();
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(temporary, TextPage.render(snapshot), StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.debug("cannot write the status file {}: {}", file, e.getMessage());
        }
    }

    /** The pool now; {@code queue} is the listen queue as just measured. */
    StatusSnapshot snapshot(Children children, int queue, int maxChildren, int bootFailures, long nowMillis) {
        maxListenQueue = Math.max(maxListenQueue, queue);
        ZonedDateTime wallNow = ZonedDateTime.now();
        long maxHeartbeat = children.stream().mapToLong(c -> c.heartbeatAgeMillis(nowMillis)).max().orElse(-1);
        StatusMessage.Counts counted = counts.total();
        List<Map.Entry<String, Object>> pool = new ArrayList<>(List.of(
                Map.entry("pool", config.name()),
                Map.entry("process manager", config.mode().name().toLowerCase(Locale.ROOT)),
                Map.entry("start time", startTime()),
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
                Map.entry("slow requests", config.slowlogInChildren() ? counted.slow() : slowRequests),
                Map.entry("shed requests", counted.shed()),
                Map.entry("log failures", counted.logFailures()),
                Map.entry("budget refusals", counted.budgetRefusals()),
                Map.entry("overload refusals", counted.overloadRefusals()),
                Map.entry("max heartbeat age ms", maxHeartbeat < 0 ? "-" : maxHeartbeat)));
        for (Recycle why : Recycle.values()) {
            pool.add(Map.entry(why.field(), recycled.getOrDefault(why, 0L)));
        }
        pool.addAll(List.of(
                Map.entry("frozen children", frozenChildren),
                Map.entry("listen", config.listen()),
                Map.entry("allowed clients", config.allowedClients()),
                Map.entry("max children", maxChildren),
                Map.entry("boot failures", bootFailures)));
        List<List<Map.Entry<String, Object>>> processes = new ArrayList<>();
        for (Child child : children) {
            long heartbeat = child.heartbeatAgeMillis(nowMillis);
            processes.add(List.of(
                    Map.entry("pid", child.pid),
                    Map.entry("state", child.state().label()),
                    Map.entry("start time", START_TIME.format(wallNow.minusNanos(
                            (nowMillis - child.startedAtMillis) * 1_000_000))),
                    Map.entry("start since", (nowMillis - child.startedAtMillis) / 1000),
                    Map.entry("requests", child.served()),
                    Map.entry("request duration", child.requestAgeMillis(nowMillis) * 1000),
                    Map.entry("request method", child.lastMethod()),
                    Map.entry("request URI", child.lastUri()),
                    Map.entry("active requests", child.inFlight()),
                    Map.entry("rss kib", child.rssKiB),
                    Map.entry("heartbeat age ms", heartbeat < 0 ? "-" : heartbeat)));
        }
        return StatusSnapshot.of(pool, processes);
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
