package io.jfcgi.servlet;

import io.jfcgi.servlet.testfragments.AnnotatedServlet;
import io.jfcgi.servlet.testfragments.ChainServlet;
import io.jfcgi.servlet.testfragments.JarInitializer;
import io.jfcgi.servlet.testfragments.LabelFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WARs whose WEB-INF/lib jars (built here) carry web-fragment.xml: the order of their filters after web.xml's,
 * absolute and relative ordering, exclusion, metadata-complete. Each fragment declares a LabelFilter on /*.
 */
class WebFragmentsTest {

    @TempDir
    Path dir;

    /** The container's loader without this test class path's own initializers (Spring's, Jersey's). */
    private static final ClassLoader CONTAINER = new ClassLoader(WebFragmentsTest.class.getClassLoader()) {
        @Override
        public java.util.Enumeration<java.net.URL> getResources(String name) throws IOException {
            return name.startsWith("META-INF/services/") ? java.util.Collections.emptyEnumeration()
                    : super.getResources(name);
        }
    };

    private static final String WEB_APP = "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.1\"%s>"
            + "<servlet><servlet-name>chain</servlet-name><servlet-class>" + ChainServlet.class.getName()
            + "</servlet-class></servlet><servlet-mapping><servlet-name>chain</servlet-name>"
            + "<url-pattern>/chain</url-pattern></servlet-mapping>" + filter("W") + "%s</web-app>";

    private static String filter(String label) {
        return "<filter><filter-name>" + label + "</filter-name><filter-class>" + LabelFilter.class.getName()
                + "</filter-class><init-param><param-name>label</param-name><param-value>" + label
                + "</param-value></init-param></filter><filter-mapping><filter-name>" + label
                + "</filter-name><url-pattern>/*</url-pattern></filter-mapping>";
    }

    private static String fragment(String name, String attributes, String ordering) {
        return "<web-fragment xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.1\"" + attributes + ">"
                + "<name>" + name + "</name>" + ordering + filter(name) + "</web-fragment>";
    }

    /** a.jar (A, after B, with an annotated servlet), b.jar (B), c.jar (C, before the others, with an initializer). */
    private Path war(String webXmlAttributes, String webXmlOrdering, String aAttributes) throws IOException {
        Path war = dir.resolve("war");
        Path classes = war.resolve("WEB-INF/classes");
        copyClass(LabelFilter.class, classes);
        copyClass(ChainServlet.class, classes);
        Files.writeString(war.resolve("WEB-INF/web.xml"), String.format(WEB_APP, webXmlAttributes, webXmlOrdering));
        Path lib = Files.createDirectories(war.resolve("WEB-INF/lib"));
        jar(lib.resolve("a.jar"), Map.of("META-INF/web-fragment.xml", fragment("A", aAttributes,
                "<ordering><after><name>B</name></after></ordering>")), AnnotatedServlet.class);
        jar(lib.resolve("b.jar"), Map.of("META-INF/web-fragment.xml", fragment("B", "", "")));
        jar(lib.resolve("c.jar"), Map.of("META-INF/web-fragment.xml", fragment("C", "",
                "<ordering><before><others/></before></ordering>"),
                "META-INF/services/jakarta.servlet.ServletContainerInitializer", JarInitializer.class.getName()),
                JarInitializer.class);
        return war;
    }

    private String get(Path war, String uri) throws Exception {
        try (WarDeployment deployment = WarDeployment.deploy(war, "", CONTAINER);
                BridgeServer server = new BridgeServer(deployment.bridge())) {
            return server.get(uri).bodyText();
        }
    }

    @Test
    void relativeOrderingPlacesTheFragmentsFiltersAfterWebXmls() throws Exception {
        assertEquals("W,C,B,A initializer ran", get(war("", "", ""), "/chain"));
    }

    @Test
    void anAbsoluteOrderingWithOthersPutsTheRestWhereOthersStands() throws Exception {
        String ordering = "<absolute-ordering><name>B</name><others/><name>A</name></absolute-ordering>";
        assertEquals("W,B,C,A initializer ran", get(war("", ordering, ""), "/chain"));
    }

    @Test
    void anAbsoluteOrderingWithoutOthersLeavesTheRestOutInitializersIncluded() throws Exception {
        String ordering = "<absolute-ordering><name>A</name></absolute-ordering>";
        Path war = war("", ordering, "");
        assertEquals("W,A initializer null", get(war, "/chain"));
        assertEquals("annotated", get(war, "/annotated"));
    }

    @Test
    void aMetadataCompleteFragmentsAnnotationsAreIgnoredButItsDescriptorApplies() throws Exception {
        Path war = war("", "", " metadata-complete=\"true\"");
        assertEquals("W,C,B,A initializer ran", get(war, "/chain"));
        assertTrue(get(war, "/annotated").startsWith("Error 404"));
    }

    @Test
    void anAnnotatedClassInAFragmentJarIsRegistered() throws Exception {
        assertEquals("annotated", get(war("", "", ""), "/annotated"));
    }

    @Test
    void aMetadataCompleteWebXmlIgnoresEveryFragment() throws Exception {
        Path war = war(" metadata-complete=\"true\"", "", "");
        assertEquals("W initializer ran", get(war, "/chain"));
        assertTrue(get(war, "/annotated").startsWith("Error 404"));
    }

    @Test
    void fragmentsOrderedBeforeAndAfterEachOtherAreAClearError() throws Exception {
        Path war = war("", "", "");
        jar(war.resolve("WEB-INF/lib/b.jar"), Map.of("META-INF/web-fragment.xml", fragment("B", "",
                "<ordering><after><name>A</name></after></ordering>")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WarDeployment.deploy(war, "", CONTAINER));
        assertEquals("the web fragments [A, B] are ordered before and after each other (<ordering> in their "
                + "web-fragment.xml)", e.getMessage());
    }

    private static void copyClass(Class<?> type, Path root) throws IOException {
        Path target = root.resolve(type.getName().replace('.', '/') + ".class");
        Files.createDirectories(target.getParent());
        Files.copy(classFile(type), target);
    }

    private static Path classFile(Class<?> type) {
        return Path.of("target", "test-classes", type.getName().replace('.', '/') + ".class");
    }

    private static void jar(Path jar, Map<String, String> texts, Class<?>... classes) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, String> text : texts.entrySet()) {
                out.putNextEntry(new JarEntry(text.getKey()));
                out.write(text.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            for (Class<?> type : classes) {
                out.putNextEntry(new JarEntry(type.getName().replace('.', '/') + ".class"));
                out.write(Files.readAllBytes(classFile(type)));
                out.closeEntry();
            }
        }
    }
}
