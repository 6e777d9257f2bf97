package io.jfcgi.spawner.status;

import java.util.List;

/** PHP-FPM's {@code ?json} shape: the pool's fields as members, and with {@code full} a "processes" array. */
final class JsonPage {

    private JsonPage() {
    }

    static String render(StatusSnapshot snapshot, boolean full) {
        StringBuilder out = new StringBuilder("{");
        members(out, snapshot.pool());
        if (full) {
            out.append(snapshot.pool().isEmpty() ? "" : ",").append("\"processes\":[");
            String comma = "";
            for (List<StatusSnapshot.Field> process : snapshot.processes()) {
                out.append(comma).append('{');
                members(out, process);
                out.append('}');
                comma = ",";
            }
            out.append(']');
        }
        return out.append('}').toString();
    }

    private static void members(StringBuilder out, List<StatusSnapshot.Field> fields) {
        String comma = "";
        for (StatusSnapshot.Field field : fields) {
            out.append(comma).append(quote(field.name())).append(':')
                    .append(field.isNumber() ? field.value() : quote(field.value()));
            comma = ",";
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
