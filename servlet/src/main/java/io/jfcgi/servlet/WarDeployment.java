package io.jfcgi.servlet;

import jakarta.servlet.ServletException;

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
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A WAR made into a running application: a .war file is unpacked into a temporary directory this process owns
 * (removed again at {@link #close}), an exploded WAR directory is used where it is; WEB-INF/classes and
 * WEB-INF/lib/*.jar make the {@link WebAppClassLoader}; WEB-INF/web.xml, then the annotations and the
 * ServletContainerInitializers ({@link AnnotationScan}), the registrations.
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
        List<URL> classPath = classPath(base);
        WebAppClassLoader loader = new WebAppClassLoader(classPath, parent);
        try {
            WebAppContext context = new WebAppContext(contextPath, loader, base);
            if (sessionStore != null) {
                context.sessions().useStore(sessionStore);
            }
            Path webXml = base.resolve("WEB-INF/web.xml");
            boolean metadataComplete = false;
            if (Files.isRegularFile(webXml)) {
                try (InputStream in = Files.newInputStream(webXml)) {
                    metadataComplete = WebXml.apply(in, context).metadataComplete();
                }
            }
            AnnotationScan.apply(classPath, context, !metadataComplete);
            if (context.welcomeFiles().isEmpty()) {
                context.welcomeFiles().addAll(List.of("index.html", "index.htm"));
            }
            context.start();
            return new WarDeployment(new ServletBridge(context), loader, unpacked);
        } catch (IOException | ServletException | RuntimeException | LinkageError e) {
            loader.close();
            deleteTree(unpacked);
            throw e;
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

    /** WEB-INF/classes first, then the jars of WEB-INF/lib in name order (the spec leaves the order open). */
    static List<URL> classPath(Path base) throws IOException {
        List<URL> urls = new ArrayList<>();
        Path classes = base.resolve("WEB-INF/classes");
        if (Files.isDirectory(classes)) {
            urls.add(classes.toUri().toURL());
        }
        Path lib = base.resolve("WEB-INF/lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path jar : jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                    urls.add(jar.toUri().toURL());
                }
            }
        }
        return urls;
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
