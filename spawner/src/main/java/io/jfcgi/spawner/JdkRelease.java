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

    static JdkRelease of(Path home) {
        Properties release = new Properties();
        try (var in = Files.newBufferedReader(home.resolve("release"), StandardCharsets.UTF_8)) {
            release.load(in);
        } catch (IOException e) {
            return new JdkRelease("", "");
        }
        return new JdkRelease(unquoted(release.getProperty("JAVA_VERSION", "")),
                unquoted(release.getProperty("LIBC", "")));
    }

    /** At least {@code feature.0.update} of a line that has {@code update} (17.0.9 is, 18 is not, 22 is). */
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
