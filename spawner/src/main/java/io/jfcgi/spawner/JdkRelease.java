package io.jfcgi.spawner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What a JDK's {@code release} file says about it: {@code JAVA_VERSION} ("17.0.15") and {@code LIBC} ("gnu",
 * "musl"); empty strings where the file or the key is missing.
 */
record JdkRelease(String version, String libc) {

    /** A JDK without a readable release file: no version, no libc. */
    static final JdkRelease UNKNOWN = new JdkRelease("", "");

    static JdkRelease of(Path home) {
        Properties release = new Properties();
        try (var in = Files.newBufferedReader(home.resolve("release"), StandardCharsets.UTF_8)) {
            release.load(in);
        } catch (IOException e) {
            return UNKNOWN;
        }
        return new JdkRelease(unquoted(release.getProperty("JAVA_VERSION", "")),
                unquoted(release.getProperty("LIBC", "")));
    }

    /**
     * Of the line {@code feature} and at least its {@code update}: atLeast(17, 9) holds for 17.0.9 and 17.0.15, not
     * for 17.0.8, 18 or 22 (a later feature release is asked for with {@link #feature()}).
     */
    boolean atLeast(int feature, int update) {
        String[] parts = version.split("[.+-]");
        try {
            int patch = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
            return Integer.parseInt(parts[0]) == feature && patch >= update;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The feature release (17, 21, 25), or 0 when the version is unknown. */
    int feature() {
        try {
            return Integer.parseInt(version.split("[.+-]")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String unquoted(String value) {
        return value.replace("\"", "").trim();
    }
}
