package io.jfcgi.responder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this library, as an app's {@code --version} prints it. Read from a resource the build fills in
 * rather than from the jar's manifest: an app.jar that bundles the library (shaded) carries its own manifest, and
 * the library's version would be lost with it.
 */
final class LibraryVersion {

    static final String RESOURCE = "version.properties";

    private LibraryVersion() {
    }

    /** The version, e.g. {@code 0.1.0}, or {@code unknown} in classes compiled without the build's resources. */
    static String get() {
        try (InputStream in = LibraryVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The line {@code --version} prints. */
    static String line() {
        return "jfcgi responder " + get();
    }
}
