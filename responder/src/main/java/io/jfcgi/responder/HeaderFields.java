package io.jfcgi.responder;

import java.util.Arrays;

/**
 * A response's headers in the order set: names and values side by side in one array, so that a header costs no
 * object of its own (a list of pairs cost a list, its array and a pair per header: a twentieth of what a /hello
 * allocated). Names compare in any case, as HTTP's do. Not thread-safe: the handler's.
 */
final class HeaderFields {

    private static final String[] NONE = new String[0];
    /** Room for this many headers at first: a typical response sets two or three. */
    private static final int FIRST_ROOM = 4;

    /** Name of header i at 2i, its value at 2i + 1. */
    private String[] fields = NONE;
    private int size;

    int size() {
        return size;
    }

    String name(int i) {
        return fields[2 * i];
    }

    String value(int i) {
        return fields[2 * i + 1];
    }

    void add(String name, String value) {
        if (2 * size == fields.length) {
            fields = Arrays.copyOf(fields, Math.max(2 * FIRST_ROOM, 2 * fields.length));
        }
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
    }

    /** Drops every header named {@code name}, in any case, keeping the others in order. */
    void removeAll(String name) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!fields[2 * i].equalsIgnoreCase(name)) {
                fields[2 * kept] = fields[2 * i];
                fields[2 * kept + 1] = fields[2 * i + 1];
                kept++;
            }
        }
        Arrays.fill(fields, 2 * kept, 2 * size, null);
        size = kept;
    }

    /** The value of the first header named {@code name}, in any case, or null. */
    String first(String name) {
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name)) {
                return fields[2 * i + 1];
            }
        }
        return null;
    }

    void clear() {
        Arrays.fill(fields, 0, 2 * size, null);
        size = 0;
    }
}
