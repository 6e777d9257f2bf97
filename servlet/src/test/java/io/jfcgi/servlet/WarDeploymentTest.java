package io.jfcgi.servlet;

import io.jfcgi.tools.FastCgiResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WARs deployed in this JVM and served over FastCGI: annotations, initializers, unpacking, class loading. */
class WarDeploymentTest {

    @TempDir
    Path dir;

    /**
     * The container's loader as the runner has it: this test's class path has Spring's and Jersey's initializers
     * (for the end-to-end WARs), which the runner jar has not.
     */
    private static final ClassLoader CONTAINER = new ClassLoader(WarDeploymentTest.class.getClassLoader()) {
        @Override
        public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
            return name.startsWith("META-INF/services/") ? java.util.Collections.emptyEnumeration()
                    : super.getResources(name);
        }
    };

    private WarDeployment annotated(Path war) throws Exception {
        return WarDeployment.deploy(war, "", CONTAINER);
    }

    @Test
    void anAppWithoutWebXmlIsMadeOfItsAnnotationsAndInitializers() throws Exception {
        Path war = TestWars.exploded(dir, "annotated", "io.jfcgi.servlet.testannotated");
        try (WarDeployment deployment = annotated(war); BridgeServer server = new BridgeServer(deployment.bridge())) {
            FastCgiResponse greeting = server.get("/greet/you");
            assertEquals("hi /you listened", greeting.bodyText());
            assertEquals("on", greeting.header("X-Annotated-Filter"));
            assertEquals("FirstPlugin,SecondPlugin", server.get("/plugins").bodyText());
            assertEquals("a static file of the annotated app\n", server.get("/static.txt").bodyText());
        }
    }

    @Test
    void theWebAppsClassesComeFromItsOwnLoaderAndTheServletApiFromTheContainer() throws Exception {
        Path war = TestWars.exploded(dir, "annotated", "io.jfcgi.servlet.testannotated");
        try (WarDeployment deployment = annotated(war)) {
            ClassLoader loader = deployment.bridge().servletContext().getClassLoader();
            Class<?> servlet = loader.loadClass("io.jfcgi.servlet.testannotated.GreetingServlet");
            assertEquals(loader, servlet.getClassLoader());
            assertTrue(servlet != io.jfcgi.servlet.testannotated.GreetingServlet.class);
            assertEquals(jakarta.servlet.Servlet.class, loader.loadClass("jakarta.servlet.Servlet"));
        }
    }

    @Test
    void aWarFileIsUnpackedAndTheCopyRemovedAtClose() throws Exception {
        Path war = TestWars.zip(TestWars.exploded(dir, "annotated", "io.jfcgi.servlet.testannotated"),
                dir.resolve("annotated.war"));
        Path base;
        try (WarDeployment deployment = annotated(war); BridgeServer server = new BridgeServer(deployment.bridge())) {
            assertEquals("hi /x listened", server.get("/greet/x").bodyText());
            base = Path.of(deployment.bridge().servletContext().getRealPath("/"));
            assertTrue(Files.isDirectory(base.resolve("WEB-INF")));
        }
        assertFalse(Files.exists(base));
    }

    @Test
    void aZipEntryOutsideTheWarIsRefused() throws Exception {
        Path war = dir.resolve("evil.war");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(war))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("../escaped.txt"));
            zip.write(1);
            zip.closeEntry();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> annotated(war));
        assertTrue(e.getMessage().contains("outside the WAR"), e.getMessage());
    }

    @Test
    void aMissingWarIsAOneLineError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> annotated(dir.resolve("none.war")));
        assertTrue(e.getMessage().startsWith("no such WAR"), e.getMessage());
    }

    @Test
    void classPathIsClassesThenTheLibJarsInNameOrder() throws Exception {
        Files.createDirectories(dir.resolve("WEB-INF/classes"));
        Files.createDirectories(dir.resolve("WEB-INF/lib"));
        Files.writeString(dir.resolve("WEB-INF/lib/b.jar"), "");
        Files.writeString(dir.resolve("WEB-INF/lib/a.jar"), "");
        Files.writeString(dir.resolve("WEB-INF/lib/notes.txt"), "");
        assertEquals(List.of("classes", "a.jar", "b.jar"), WarDeployment.classPath(dir).stream()
                .map(u -> Path.of(u.getPath()).getFileName().toString()).toList());
    }
}
