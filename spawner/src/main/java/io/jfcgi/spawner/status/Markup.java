package io.jfcgi.spawner.status;

import java.util.Locale;

/** What the XML and HTML pages share: escaping text, and a field's name as an element name. */
final class Markup {

    private Markup() {
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\t' ? ' ' : c); // XML 1.0 has no other controls
            }
        }
        return out.toString();
    }

    /** PHP-FPM's element names: lower case, words joined by dashes ("accepted conn" is accepted-conn). */
    static String elementName(String field) {
        return field.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
