package io.jfcgi.spawner.status;

import java.util.List;

/** PHP-FPM's {@code ?xml} shape: {@code <status>} with an element per pool field, and {@code <processes>}. */
final class XmlPage {

    private XmlPage() {
    }

    static String render(StatusSnapshot snapshot, boolean full) {
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" ?>\n<status>\n");
        elements(out, snapshot.pool());
        if (full) {
            out.append("<processes>\n");
            for (List<StatusSnapshot.Field> process : snapshot.processes()) {
                out.append("<process>\n");
                elements(out, process);
                out.append("</process>\n");
            }
            out.append("</processes>\n");
        }
        return out.append("</status>\n").toString();
    }

    private static void elements(StringBuilder out, List<StatusSnapshot.Field> fields) {
        for (StatusSnapshot.Field field : fields) {
            String name = Markup.elementName(field.name());
            out.append('<').append(name).append('>').append(Markup.escape(field.value())).append("</").append(name)
                    .append(">\n");
        }
    }
}
