package io.jfcgi.spawner.status;

import java.util.ArrayList;
import java.util.List;

/**
 * PHP-FPM's text format: {@code name: value} lines with the values aligned, then one block per process after a line
 * of stars. It is also what PIDFILE.status holds, so it reads back ({@link #parse}).
 */
public final class TextPage {

    static final String SEPARATOR = "************************";
    private static final int VALUE_COLUMN = 22;

    private TextPage() {
    }

    public static String render(StatusSnapshot snapshot) {
        StringBuilder out = new StringBuilder();
        append(out, snapshot.pool());
        for (List<StatusSnapshot.Field> process : snapshot.processes()) {
            out.append('\n').append(SEPARATOR).append('\n');
            append(out, process);
        }
        return out.toString();
    }

    private static void append(StringBuilder out, List<StatusSnapshot.Field> fields) {
        for (StatusSnapshot.Field field : fields) {
            String name = field.name() + ":";
            out.append(name).append(" ".repeat(Math.max(1, VALUE_COLUMN - name.length()))).append(field.value())
                    .append('\n');
        }
    }

    /** Reads the text format back, keeping the order of the fields; lines without a colon are skipped. */
    public static StatusSnapshot parse(String text) {
        List<List<StatusSnapshot.Field>> sections = new ArrayList<>();
        List<StatusSnapshot.Field> current = new ArrayList<>();
        sections.add(current);
        for (String line : text.split("\n")) {
            if (line.equals(SEPARATOR)) {
                current = new ArrayList<>();
                sections.add(current);
            } else if (line.contains(":")) {
                int colon = line.indexOf(':');
                current.add(new StatusSnapshot.Field(line.substring(0, colon), line.substring(colon + 1).trim()));
            }
        }
        return new StatusSnapshot(sections.get(0), sections.subList(1, sections.size()));
    }
}
