package io.jfcgi.spawner.e2e;

import io.jfcgi.fixture.e2e.DirectoryTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The servlet module's plain test WAR, exploded, for launches of {@code jspawn-fcgi -- DIR}: its web.xml and pages,
 * and its classes under WEB-INF/classes, made of what the servlet module compiled (servlet/target/test-classes),
 * with no dependency on that module. Each child is a servlet runner (servlet/target/jfcgi-servlet-runner.jar, which
 * the launcher finds beside its own jar, as in any checkout).
 */
final class TestWar {

    private static final Path SERVLET = Launch.ROOT.resolve("servlet");

    private TestWar() {
    }

    /** Fails, saying what to build, unless the runner and the test WAR's classes have been built. */
    static void assertBuilt() {
        for (Path built : List.of(SERVLET.resolve("target/jfcgi-servlet-runner.jar"),
                SERVLET.resolve("target/test-classes/io/jfcgi/servlet/testwar"))) {
            if (!Files.exists(built)) {
                throw new IllegalStateException(built + " is missing: build the servlet module first "
                        + "(./mvnw -q -pl spawner -am package -DskipTests)");
            }
        }
    }

    /** The WAR exploded into {@code dir}/plain; returns that directory. */
    static Path explode(Path dir) throws IOException {
        Path war = dir.resolve("plain");
        DirectoryTrees.copy(SERVLET.resolve("src/test/webapp/plain"), war);
        DirectoryTrees.copy(SERVLET.resolve("target/test-classes/io/jfcgi/servlet/testwar"),
                war.resolve("WEB-INF/classes/io/jfcgi/servlet/testwar"));
        return war;
    }
}
