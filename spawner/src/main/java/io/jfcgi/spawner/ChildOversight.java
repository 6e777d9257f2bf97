package io.jfcgi.spawner;

import io.jfcgi.codec.supervision.ChildEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --slowlog}, {@code --slowlog-timeout}, {@code --max-queue-wait} and {@code --access-log}: options the
 * launcher does not act on itself but hands to each JVM child (a .jar or a .war), whose responder does the work.
 * They travel as environment variables ({@link ChildEnvironment}), not as arguments, so they never meet the
 * application's own arguments, and the servlet runner takes them as an app.jar does.
 *
 * @param slowlog        the slowlog file, or null
 * @param slowlogTimeout null for the responder's default
 * @param maxQueueWait   zero for no limit
 * @param accessLog      the JSON access log, or null
 */
public record ChildOversight(Path slowlog, Duration slowlogTimeout, Duration maxQueueWait, Path accessLog) {

    public static final ChildOversight NONE = new ChildOversight(null, null, Duration.ZERO, null);

    /** True when nothing is asked of the children. */
    public boolean isEmpty() {
        return slowlog == null && maxQueueWait.isZero() && accessLog == null;
    }

    /** The variables a JVM child gets; durations in milliseconds, as the responder's flags take them. */
    public Map<String, String> environment() {
        Map<String, String> variables = new LinkedHashMap<>();
        if (slowlog != null) {
            variables.put(ChildEnvironment.SLOWLOG, slowlog.toString());
        }
        if (slowlogTimeout != null) {
            variables.put(ChildEnvironment.SLOWLOG_TIMEOUT, slowlogTimeout.toMillis() + "ms");
        }
        if (!maxQueueWait.isZero()) {
            variables.put(ChildEnvironment.MAX_QUEUE_WAIT, maxQueueWait.toMillis() + "ms");
        }
        if (accessLog != null) {
            variables.put(ChildEnvironment.ACCESS_LOG, accessLog.toString());
        }
        return variables;
    }
}
