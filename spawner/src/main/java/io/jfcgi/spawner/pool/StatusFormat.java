package io.jfcgi.spawner.pool;

import io.jfcgi.spawner.status.StatusPage;
import io.jfcgi.spawner.status.StatusSnapshot;
import io.jfcgi.spawner.status.TextPage;
import java.util.List;

/**
 * PIDFILE.status read back: the text format of a {@link StatusSnapshot} ({@link TextPage}), whose formats are in
 * {@link StatusPage}. Kept for the callers that read the file as sections of name-value pairs.
 */
public final class StatusFormat {

    private StatusFormat() {
    }

    /** Reads the text format back as sections (the pool, then each process), keeping the field order. */
    public static List<List<String[]>> parse(String text) {
        StatusSnapshot snapshot = TextPage.parse(text);
        List<List<StatusSnapshot.Field>> sections = new java.util.ArrayList<>();
        sections.add(snapshot.pool());
        sections.addAll(snapshot.processes());
        return sections.stream().map(fields -> fields.stream().map(f -> new String[] {f.name(), f.value()}).toList())
                .toList();
    }

    /** PHP-FPM's {@code ?json&full} shape: the pool's fields, and a "processes" array. */
    public static String json(String text) {
        return StatusPage.JSON.render(TextPage.parse(text), true);
    }
}
