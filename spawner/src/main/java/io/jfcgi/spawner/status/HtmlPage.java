package io.jfcgi.spawner.status;

import java.util.List;

/** PHP-FPM's {@code ?html} shape: a table of the pool's fields, and with {@code full} a table of processes. */
final class HtmlPage {

    private HtmlPage() {
    }

    static String render(StatusSnapshot snapshot, boolean full) {
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>"
                + "jspawn-fcgi status</title></head>\n<body>\n<table>\n");
        for (StatusSnapshot.Field field : snapshot.pool()) {
            out.append("<tr><th>").append(Markup.escape(field.name())).append("</th><td>")
                    .append(Markup.escape(field.value())).append("</td></tr>\n");
        }
        out.append("</table>\n");
        if (full && !snapshot.processes().isEmpty()) {
            out.append("<table border=\"1\">\n<tr>");
            for (StatusSnapshot.Field field : snapshot.processes().get(0)) {
                out.append("<th>").append(Markup.escape(field.name())).append("</th>");
            }
            out.append("</tr>\n");
            for (List<StatusSnapshot.Field> process : snapshot.processes()) {
                out.append("<tr>");
                for (StatusSnapshot.Field field : process) {
                    out.append("<td>").append(Markup.escape(field.value())).append("</td>");
                }
                out.append("</tr>\n");
            }
            out.append("</table>\n");
        }
        return out.append("</body>\n</html>\n").toString();
    }
}
