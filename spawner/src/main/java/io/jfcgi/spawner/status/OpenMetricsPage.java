package io.jfcgi.spawner.status;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OpenMetrics text 1.0: a family per numeric pool field ({@code # TYPE}, {@code # HELP}, {@code # UNIT} where it has
 * one, counters as {@code _total}), the recycle reasons as one counter with a {@code reason} label, the text fields
 * as an info metric, and with {@code full} the same per process, labelled with its pid (which PHP-FPM's
 * OpenMetrics output leaves out). Values are in base units (seconds, bytes). Ends with {@code # EOF}.
 */
final class OpenMetricsPage {

    static final String PREFIX = "jspawn_fcgi_";
    static final String RECYCLED = "recycled ";

    enum Type { GAUGE, COUNTER }

    /** How a numeric field becomes a metric family: its name without prefix and unit, and the factor to base units. */
    record Metric(String name, Type type, String unit, BigDecimal scale, String help) {

        String family(String prefix) {
            return prefix + name + (unit.isEmpty() ? "" : "_" + unit);
        }
    }

    private static final BigDecimal ONE = BigDecimal.ONE;
    private static final Map<String, Metric> POOL = new LinkedHashMap<>();
    private static final Map<String, Metric> PROCESS = new LinkedHashMap<>();

    static {
        pool("start since", "start_since", Type.GAUGE, "seconds", ONE, "Time since the launcher started");
        pool("accepted conn", "accepted_connections", Type.COUNTER, "", ONE, "Requests the pool has served");
        pool("listen queue", "listen_queue", Type.GAUGE, "", ONE, "Connections waiting in the listen queue");
        pool("max listen queue", "max_listen_queue", Type.GAUGE, "", ONE, "Most connections seen waiting at once");
        pool("listen queue len", "listen_queue_length", Type.GAUGE, "", ONE, "Size of the listen queue (backlog)");
        pool("idle processes", "idle_processes", Type.GAUGE, "", ONE, "Children with no request in flight");
        pool("active processes", "active_processes", Type.GAUGE, "", ONE, "Children with a request in flight");
        pool("total processes", "total_processes", Type.GAUGE, "", ONE, "Children, in every state");
        pool("max active processes", "max_active_processes", Type.GAUGE, "", ONE, "Most busy children at once");
        pool("max children reached", "max_children_reached", Type.COUNTER, "", ONE,
                "Times the pool could not grow for want of --max-children");
        pool("slow requests", "slow_requests", Type.COUNTER, "", ONE, "Requests over --request-timeout");
        pool("shed requests", "shed_requests", Type.COUNTER, "", ONE,
                "Requests the children answered 503 for waiting longer than --max-queue-wait");
        pool("log failures", "log_failures", Type.COUNTER, "", ONE,
                "Slowlog or access-log lines the children could not write");
        pool("budget refusals", "budget_refusals", Type.COUNTER, "", ONE,
                "Requests answered 503 because the children's --max-buffered-bytes was full");
        pool("overload refusals", "overload_refusals", Type.COUNTER, "", ONE,
                "Requests answered 503 because the children's --workers and --queue were full");
        pool("max heartbeat age ms", "max_heartbeat_age", Type.GAUGE, "seconds", new BigDecimal("0.001"),
                "Longest silence of a child on its status channel");
        pool("frozen children", "frozen_children", Type.COUNTER, "", ONE,
                "Children killed for their silence (--heartbeat-timeout)");
        pool("max children", "max_children", Type.GAUGE, "", ONE, "Most children the pool may have now");
        pool("boot failures", "boot_failures", Type.GAUGE, "", ONE, "Children in a row that died before serving");
        process("start since", "start_since", Type.GAUGE, "seconds", ONE, "Time since the child started");
        process("requests", "requests", Type.COUNTER, "", ONE, "Requests the child has served");
        process("request duration", "request_duration", Type.GAUGE, "seconds", new BigDecimal("0.000001"),
                "How long the oldest request in flight has run; 0 when idle");
        process("active requests", "active_requests", Type.GAUGE, "", ONE, "Requests in flight");
        process("rss kib", "rss", Type.GAUGE, "bytes", new BigDecimal(1024), "Resident memory");
        process("heartbeat age ms", "heartbeat_age", Type.GAUGE, "seconds", new BigDecimal("0.001"),
                "Time since the child's last status line");
    }

    private static void pool(String field, String name, Type type, String unit, BigDecimal scale, String help) {
        POOL.put(field, new Metric(name, type, unit, scale, help));
    }

    private static void process(String field, String name, Type type, String unit, BigDecimal scale, String help) {
        PROCESS.put(field, new Metric(name, type, unit, scale, help));
    }

    private OpenMetricsPage() {
    }

    static String render(StatusSnapshot snapshot) {
        StringBuilder out = new StringBuilder();
        String poolName = String.valueOf(snapshot.value("pool"));
        String poolLabel = "pool=\"" + labelValue(poolName) + "\"";
        family(out, PREFIX + "up", "gauge", "", "1 while the launcher answers");
        out.append(PREFIX).append("up{").append(poolLabel).append("} 1\n");
        Map<String, String> reasons = new LinkedHashMap<>();
        List<StatusSnapshot.Field> texts = new ArrayList<>();
        for (StatusSnapshot.Field field : snapshot.pool()) {
            if (field.name().startsWith(RECYCLED) && field.isNumber()) {
                reasons.put(field.name().substring(RECYCLED.length()), field.value());
            } else if (field.isNumber()) {
                sample(out, PREFIX, POOL, field, List.of(poolLabel));
            } else if (!field.name().equals("pool")) {
                texts.add(field);
            }
        }
        if (!reasons.isEmpty()) {
            family(out, PREFIX + "recycled_children", "counter", "", "Children replaced, by reason");
            reasons.forEach((reason, count) -> out.append(PREFIX).append("recycled_children_total{").append(poolLabel)
                    .append(",reason=\"").append(labelValue(reason)).append("\"} ").append(count).append('\n'));
        }
        info(out, PREFIX + "pool", "The pool's settings and start", List.of(poolLabel), List.of(texts));
        processes(out, snapshot.processes(), poolLabel);
        return out.append("# EOF\n").toString();
    }

    /** Family by family, as OpenMetrics wants each family's samples together: one sample per process. */
    private static void processes(StringBuilder out, List<List<StatusSnapshot.Field>> processes, String poolLabel) {
        if (processes.isEmpty()) {
            return;
        }
        String prefix = PREFIX + "process_";
        for (Map.Entry<String, Metric> metric : PROCESS.entrySet()) {
            boolean first = true;
            for (List<StatusSnapshot.Field> process : processes) {
                String value = StatusSnapshot.value(process, metric.getKey());
                if (value != null && new StatusSnapshot.Field(metric.getKey(), value).isNumber()) {
                    if (first) {
                        header(out, prefix, metric.getValue());
                        first = false;
                    }
                    value(out, prefix, metric.getValue(), List.of(poolLabel, pidLabel(process)), value);
                }
            }
        }
        List<List<StatusSnapshot.Field>> texts = new ArrayList<>();
        for (List<StatusSnapshot.Field> process : processes) {
            texts.add(process.stream().filter(f -> !f.isNumber() && !PROCESS.containsKey(f.name())).toList());
        }
        List<String> labels = processes.stream().map(p -> poolLabel + "," + pidLabel(p)).toList();
        info(out, prefix.substring(0, prefix.length() - 1), "Each child's state and latest request", labels, texts);
    }

    private static String pidLabel(List<StatusSnapshot.Field> process) {
        return "pid=\"" + labelValue(String.valueOf(StatusSnapshot.value(process, "pid"))) + "\"";
    }

    /** A known numeric field as its family; an unknown one (a newer counter) as a gauge named after it. */
    private static void sample(StringBuilder out, String prefix, Map<String, Metric> known, StatusSnapshot.Field field,
            List<String> labels) {
        Metric metric = known.getOrDefault(field.name(),
                new Metric(metricName(field.name()), Type.GAUGE, "", ONE, field.name()));
        header(out, prefix, metric);
        value(out, prefix, metric, labels, field.value());
    }

    private static void header(StringBuilder out, String prefix, Metric metric) {
        family(out, metric.family(prefix), metric.type().name().toLowerCase(Locale.ROOT), metric.unit(),
                metric.help());
    }

    private static void value(StringBuilder out, String prefix, Metric metric, List<String> labels, String value) {
        out.append(metric.family(prefix)).append(metric.type() == Type.COUNTER ? "_total" : "").append('{')
                .append(String.join(",", labels)).append("} ")
                .append(new BigDecimal(value).multiply(metric.scale()).stripTrailingZeros().toPlainString())
                .append('\n');
    }

    private static void family(StringBuilder out, String name, String type, String unit, String help) {
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        if (!unit.isEmpty()) {
            out.append("# UNIT ").append(name).append(' ').append(unit).append('\n');
        }
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\")).append('\n');
    }

    /** An info family: one sample per entry of {@code rows}, its text fields as labels after {@code labels}. */
    private static void info(StringBuilder out, String name, String help, List<String> labels,
            List<List<StatusSnapshot.Field>> rows) {
        family(out, name, "info", "", help);
        for (int i = 0; i < rows.size(); i++) {
            StringBuilder all = new StringBuilder(labels.get(i));
            for (StatusSnapshot.Field field : rows.get(i)) {
                all.append(',').append(metricName(field.name())).append("=\"").append(labelValue(field.value()))
                        .append('"');
            }
            out.append(name).append("_info{").append(all).append("} 1\n");
        }
    }

    /** A field's name as a metric or label name: lower case, runs of anything else as one underscore. */
    static String metricName(String field) {
        String name = field.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    static String labelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
