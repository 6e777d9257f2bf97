package io.jfcgi.servlet;

import io.jfcgi.fixture.e2e.DirectoryTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The WARs the end-to-end tests serve, made in the test from what Maven compiled: the web resources of
 * {@code src/test/webapp/NAME}, and the test classes of one package under WEB-INF/classes.
 */
public final class TestWars {

    private static final Path TEST_CLASSES = Path.of("target", "test-classes");

    private TestWars() {
    }

    /** An exploded WAR in {@code dir}: {@code webapp}'s files plus the classes of {@code javaPackage}. */
    public static Path exploded(Path dir, String webapp, String javaPackage) throws IOException {
        return exploded(dir, webapp, javaPackage, List.of());
    }

    /**
     * As {@link #exploded(Path, String, String)}, with WEB-INF/lib holding the jars of this test's class path
     * whose path in the Maven repository contains one of {@code libraryPaths} (e.g. "/org/springframework/").
     */
    public static Path exploded(Path dir, String webapp, String javaPackage, List<String> libraryPaths)
            throws IOException {
        Path war = dir.resolve(webapp);
        Path resources = Path.of("src", "test", "webapp", webapp);
        if (Files.isDirectory(resources)) {
            DirectoryTrees.copy(resources, war);
        }
        String packagePath = javaPackage.replace('.', '/');
        DirectoryTrees.copy(TEST_CLASSES.resolve(packagePath), war.resolve("WEB-INF/classes").resolve(packagePath));
        if (!libraryPaths.isEmpty()) {
            Path lib = Files.createDirectories(war.resolve("WEB-INF/lib"));
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                String unix = entry.replace('\\', '/');
                if (unix.endsWith(".jar") && libraryPaths.stream().anyMatch(unix::contains)) {
                    Files.copy(Path.of(entry), lib.resolve(Path.of(entry).getFileName()));
                }
            }
        }
        return war;
    }

    /** {@code exploded} zipped into {@code war}. */
    public static Path zip(Path exploded, Path war) throws IOException {
        try (OutputStream file = Files.newOutputStream(war); ZipOutputStream zip = new ZipOutputStream(file);
                Stream<Path> paths = Files.walk(exploded)) {
            for (Path path : paths.sorted().toList()) {
                String name = exploded.relativize(path).toString().replace('\\', '/');
                if (name.isEmpty()) {
                    continue;
                }
                if (Files.isDirectory(path)) {
                    zip.putNextEntry(new ZipEntry(name + "/"));
                } else {
                    zip.putNextEntry(new ZipEntry(name));
                    Files.copy(path, zip);
                }
                zip.closeEntry();
            }
        }
        return war;
    }

    /** The files a WAR was made of, for a test's failure message. */
    public static List<String> list(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
