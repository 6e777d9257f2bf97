package io.jfcgi.servlet;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code ;name=value} parameters of a header value such as Content-Type or Content-Disposition, names in
 * lower case, quoted values unquoted (with their backslash escapes), {@code ;} inside quotes kept.
 */
final class HeaderParameters {

    private HeaderParameters() {
    }

    static Map<String, String> parse(String header) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (header == null) {
            return parameters;
        }
        int at = header.indexOf(';');
        while (at >= 0 && at < header.length()) {
            int eq = header.indexOf('=', at + 1);
            int nextSemicolon = header.indexOf(';', at + 1);
            if (eq < 0 || nextSemicolon >= 0 && nextSemicolon < eq) {
                at = nextSemicolon; // a parameter without value: skipped
                continue;
            }
            String name = header.substring(at + 1, eq).trim().toLowerCase(Locale.ROOT);
            int i = eq + 1;
            while (i < header.length() && header.charAt(i) == ' ') {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < header.length() && header.charAt(i) == '"') {
                for (i++; i < header.length() && header.charAt(i) != '"'; i++) {
                    char c = header.charAt(i);
                    if (c == '\\' && i + 1 < header.length()) {
                        c = header.charAt(++i);
                    }
                    value.append(c);
                }
                at = header.indexOf(';', i);
            } else {
                int end = header.indexOf(';', i);
                value.append(header, i, end < 0 ? header.length() : end);
                at = end;
            }
            parameters.putIfAbsent(name, value.toString().trim());
        }
        return parameters;
    }
}
