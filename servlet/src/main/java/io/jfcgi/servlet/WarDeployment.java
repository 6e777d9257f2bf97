package io.jfcgi.servlet;

import jakarta.servlet.ServletException;
import org.w3c.dom.Element;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A WAR made into a running application: a .war file is unpacked into a temporary directory this process owns
 * (removed again at {@link #close}), an exploded WAR directory is used where it is; WEB-INF/classes and
 * WEB-INF/lib/*.jar make the {@link WebAppClassLoader}; WEB-INF/web.xml, then the web fragments of the jars in
 * their order ({@link FragmentOrder}), then the annotations and the ServletContainerInitializers
 * ({@link AnnotationScan}), the registrations.
 */
final class WarDeployment implements AutoCloseable {

    private final ServletBridge bridge;
    private final WebAppClassLoader loader;
    private final Path unpacked;

    private WarDeployment(ServletBridge bridge, WebAppClassLoader loader, Path unpacked) {
        this.bridge = bridge;
        this.loader = loader;
        this.unpacked = unpacked;
    }

    /**
     * @throws IllegalArgumentException the WAR is missing or unreadable, or its web.xml wrong (a one-line message)
     * @throws ServletException the application failed to start
     */
    static WarDeployment deploy(Path war, String contextPath, ClassLoader parent) throws IOException,
            ServletException {
        return deploy(war, contextPath, parent, null);
    }

    /** @param sessionStore where sessions live; null: as the WAR's context-params say, else memory */
    static WarDeployment deploy(Path war, String contextPath, ClassLoader parent, SessionStore sessionStore)
            throws IOException, ServletException {
        Path unpacked = null;
        Path base;
        if (Files.isDirectory(war)) {
            base = war.toAbsolutePath().normalize();
        } else if (Files.isRegularFile(war)) {
            unpacked = Files.createTempDirectory("jfcgi-war-");
            unzip(war, unpacked);
            base = unpacked.toRealPath();
        } else {
            throw new IllegalArgumentException("no such WAR: " + war + " (give a .war file or an exploded WAR "
                    + "directory)");
        }
        try {
            return start(base, unpacked, contextPath, parent, sessionStore);
        } catch (IOException | ServletException | RuntimeException | LinkageError e) {
            deleteTree(unpacked);
            throw e;
        }
    }

    /** The deployment of the exploded WAR at {@code base}: descriptors, fragments, class loader, annotations. */
    private static WarDeployment start(Path base, Path unpacked, String contextPath, ClassLoader parent,
            SessionStore sessionStore) throws IOException, ServletException {
        Element webApp = null;
        WebXml.Facts facts = new WebXml.Facts(false, java.util.Optional.empty());
        Path webXml = base.resolve("WEB-INF/web.xml");
        if (Files.isRegularFile(webXml)) {
            try (InputStream in = Files.newInputStream(webXml)) {
                webApp = WebXml.parse(in, "web.xml").getDocumentElement();
            }
            facts = WebXml.facts(webApp);
        }
        List<WebFragments.Jar> jars = WebFragments.read(libJars(base));
        Map<String, WebFragments.Jar> byName = new HashMap<>();
        jars.forEach(jar -> byName.put(jar.ordering().jar(), jar));
        FragmentOrder.Ordered order = FragmentOrder.order(jars.stream().map(WebFragments.Jar::ordering).toList(),
                facts.absoluteOrdering());
        List<WebFragments.Jar> included = order.included().stream().map(f -> byName.get(f.jar())).toList();
        Set<Path> excluded = new HashSet<>();
        order.excluded().forEach(f -> excluded.add(byName.get(f.jar()).path()));
        // the class path in fragment order, so that initializers are found in it too; excluded jars still load
        List<Path> scanned = new ArrayList<>();
        Path classes = base.resolve("WEB-INF/classes");
        if (Files.isDirectory(classes)) {
            scanned.add(classes);
        }
        included.forEach(jar -> scanned.add(jar.path()));
        List<URL> classPath = new ArrayList<>();
        for (Path path : scanned) {
            classPath.add(path.toUri().toURL());
        }
        for (Path path : excluded) {
            classPath.add(path.toUri().toURL());
        }
        WebAppClassLoader loader = new WebAppClassLoader(classPath, parent);
        try {
            WebAppContext context = new WebAppContext(contextPath, loader, base);
            if (sessionStore != null) {
                context.sessions().useStore(sessionStore);
            }
            if (webApp != null) {
                WebXml.apply(webApp, context, false);
            }
            Set<Path> annotated = new HashSet<>();
            if (!facts.metadataComplete()) { // a complete web.xml ignores the fragments and every annotation
                if (Files.isDirectory(classes)) {
                    annotated.add(classes);
                }
                for (WebFragments.Jar jar : included) {
                    if (jar.descriptor() != null) {
                        applyFragment(jar, context);
                    }
                    if (!jar.metadataComplete()) {
                        annotated.add(jar.path());
                    }
                }
            }
            AnnotationScan.apply(scanned, annotated, excluded, context);
            if (context.welcomeFiles().isEmpty()) {
                context.welcomeFiles().addAll(List.of("index.html", "index.htm"));
            }
            context.start();
            return new WarDeployment(new ServletBridge(context), loader, unpacked);
        } catch (ServletException | RuntimeException | LinkageError e) {
            loader.close();
            throw e;
        }
    }

    private static void applyFragment(WebFragments.Jar jar, WebAppContext context) {
        try {
            WebXml.apply(jar.descriptor(), context, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("web-fragment.xml in WEB-INF/lib/" + jar.path().getFileName() + ": "
                    + e.getMessage(), e);
        }
    }

    ServletBridge bridge() {
        return bridge;
    }

    /** Stops the application, closes its class loader and removes the unpacked copy. */
    @Override
    public void close() {
        bridge.close();
        try {
            loader.close();
        } catch (IOException e) {
            // the jars are being deleted anyway
        }
        deleteTree(unpacked);
    }

    /** WEB-INF/classes first, then the jars of WEB-INF/lib in name order (before any fragment ordering). */
    static List<URL> classPath(Path base) throws IOException {
        List<URL> urls = new ArrayList<>();
        Path classes = base.resolve("WEB-INF/classes");
        if (Files.isDirectory(classes)) {
            urls.add(classes.toUri().toURL());
        }
        for (Path jar : libJars(base)) {
            urls.add(jar.toUri().toURL());
        }
        return urls;
    }

    /** The jars of WEB-INF/lib in name order (the spec leaves the order open; fragment ordering may change it). */
    static List<Path> libJars(Path base) throws IOException {
        Path lib = base.resolve("WEB-INF/lib");
        if (!Files.isDirectory(lib)) {
            return List.of();
        }
        try (Stream<Path> jars = Files.list(lib)) {
            return jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** Unpacks {@code war} into {@code target}; an entry that would land outside it is refused (zip slip). */
    static void unzip(Path war, Path target) throws IOException {
        Path root = target.toRealPath();
        try (ZipFile zip = new ZipFile(war.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IllegalArgumentException(war + " has an entry outside the WAR: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(war + " is not a WAR (zip) file: " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: the directory is under the system's temp, which is cleaned anyway
        }
    }
}
