package io.jfcgi.spawner.pool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pool's state in PHP-FPM's status field names (pool, process manager, accepted conn, listen queue, idle/active/
 * total processes, max children reached; per process pid, state, requests…), so that what reads php-fpm's status
 * reads ours. Written by the supervisor every tick as text; {@link #parse} reads it back for {@code status}.
 */
public final class StatusFormat {

    static final String SEPARATOR = "************************";

    private StatusFormat() {
    }

    /** PHP-FPM's full text format: {@code name: value} lines, then one block per process after a line of stars. */
    public static String text(List<Map.Entry<String, Object>> pool, List<List<Map.Entry<String, Object>>> processes) {
        StringBuilder out = new StringBuilder();
        append(out, pool);
        for (List<Map.Entry<String, Object>> process : processes) {
            out.append('\n').append(SEPARATOR).append('\n');
            append(out, process);
        }
        return out.toString();
    }

    private static void append(StringBuilder out, List<Map.Entry<String, Object>> fields) {
        for (Map.Entry<String, Object> field : fields) {
            String name = field.getKey() + ":";
            out.append(name).append(" ".repeat(Math.max(1, 22 - name.length()))).append(field.getValue())
                    .append('\n');
        }
    }

    /** Reads the text format back, keeping the field order of each section. */
    public static List<List<String[]>> parse(String text) {
        List<List<String[]>> sections = new ArrayList<>();
        List<String[]> current = new ArrayList<>();
        sections.add(current);
        for (String line : text.split("\n")) {
            if (line.equals(SEPARATOR)) {
                current = new ArrayList<>();
                sections.add(current);
            } else if (line.contains(":")) {
                int colon = line.indexOf(':');
                current.add(new String[] {line.substring(0, colon), line.substring(colon + 1).trim()});
            }
        }
        return sections;
    }

    /** PHP-FPM's {@code ?json&full} shape: the pool's fields, and a "processes" array. */
    public static String json(String text) {
        List<List<String[]>> sections = parse(text);
        StringBuilder out = new StringBuilder("{");
        appendJson(out, sections.get(0));
        out.append(sections.get(0).isEmpty() ? "" : ",").append("\"processes\":[");
        for (int i = 1; i < sections.size(); i++) {
            out.append(i > 1 ? "," : "").append('{');
            appendJson(out, sections.get(i));
            out.append('}');
        }
        return out.append("]}").toString();
    }

    private static void appendJson(StringBuilder out, List<String[]> fields) {
        Map<String, String> seen = new LinkedHashMap<>();
        for (String[] field : fields) {
            seen.put(field[0], field[1]);
        }
        boolean first = true;
        for (Map.Entry<String, String> field : seen.entrySet()) {
            out.append(first ? "" : ",").append(quote(field.getKey())).append(':');
            String value = field.getValue();
            out.append(value.matches("-?\\d{1,18}") ? value : quote(value));
            first = false;
        }
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
