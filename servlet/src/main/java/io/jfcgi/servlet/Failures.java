package io.jfcgi.servlet;

/** One line for a failure a user must read: each cause's message, outermost first, without a stack trace. */
final class Failures {

    private Failures() {
    }

    static String describe(Throwable error) {
        StringBuilder line = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getName() : t.getMessage();
            if (line.indexOf(message) < 0) {
                line.append(line.length() == 0 ? "" : ": ").append(message);
            }
        }
        return line.toString();
    }
}
