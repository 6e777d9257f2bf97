package io.jfcgi.spawner;

/**
 * What the operator got wrong, in one line that names the problem and the fix; the launcher prints it and exits
 * with {@link #EXIT_CODE}, spawn-fcgi's code for every setup error ({@code return -1}).
 */
public final class UsageException extends Exception {

    public static final int EXIT_CODE = 255;
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
