package io.jfcgi.spawner;

/**
 * What the operator got wrong, in one line that names the problem and the fix; the launcher prints it and exits
 * with {@link #EXIT_CODE}, spawn-fcgi's code for every setup error ({@code return -1}).
 */
public final class UsageException extends Exception {

    public static final int EXIT_CODE = 255;
    private static final long serialVersionUID = 1L;
    /** The usage synopsis to print after the message (a mistake in the options themselves); null for none. */
    private final String synopsis;

    public UsageException(String message) {
        this(message, null);
    }

    public UsageException(String message, String synopsis) {
        super(message);
        this.synopsis = synopsis;
    }

    /** The line to print after the message, as spawn-fcgi prints its usage after a bad option; null for none. */
    public String synopsis() {
        return synopsis;
    }
}
