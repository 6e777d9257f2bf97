package io.jfcgi.spawner.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The pool as the supervisor saw it at one moment: its fields in PHP-FPM's names and order, then one list of fields
 * per process. Every format ({@link StatusPage}) is written from this one value, and the text format reads back into
 * it ({@link TextPage#parse}), so that {@code jspawn-fcgi status} and the HTTP page show the same data. Values are
 * kept as the text shows them; {@link Field#isNumber} says which are numbers.
 */
public record StatusSnapshot(List<Field> pool, List<List<Field>> processes) {

    private static final Pattern NUMBER = Pattern.compile("-?\\d{1,18}");

    /** One {@code name: value} line. */
    public record Field(String name, String value) {

        /** A whole number, written bare in JSON and as a sample in OpenMetrics. */
        public boolean isNumber() {
            return NUMBER.matcher(value).matches();
        }
    }

    public StatusSnapshot {
        pool = List.copyOf(pool);
        processes = processes.stream().map(List::copyOf).toList();
    }

    /** From the supervisor's ordered entries; each value as {@link String#valueOf} writes it. */
    public static StatusSnapshot of(List<Map.Entry<String, Object>> pool,
            List<List<Map.Entry<String, Object>>> processes) {
        List<List<Field>> rows = new ArrayList<>();
        for (List<Map.Entry<String, Object>> process : processes) {
            rows.add(fields(process));
        }
        return new StatusSnapshot(fields(pool), rows);
    }

    private static List<Field> fields(List<Map.Entry<String, Object>> entries) {
        return entries.stream().map(e -> new Field(e.getKey(), String.valueOf(e.getValue()))).toList();
    }

    /** The pool's value of {@code name}, or null. */
    public String value(String name) {
        return value(pool, name);
    }

    /** The value of {@code name} among {@code fields}, or null. */
    public static String value(List<Field> fields, String name) {
        for (Field field : fields) {
            if (field.name().equals(name)) {
                return field.value();
            }
        }
        return null;
    }
}
