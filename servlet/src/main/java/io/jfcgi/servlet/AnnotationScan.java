package io.jfcgi.servlet;

import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ClassInfoList;
import io.github.classgraph.ScanResult;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.servlet.annotation.MultipartConfig;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebInitParam;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.annotation.WebServlet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.EventListener;

/**
 * What a WAR declares in code, applied after its web.xml (Servlet 6 §8.1, §8.2): the {@code @WebServlet},
 * {@code @WebFilter} and {@code @WebListener} classes of WEB-INF/classes and WEB-INF/lib (unless web.xml is
 * metadata-complete; a servlet or filter web.xml declares by the same name keeps web.xml's settings), and every
 * {@link ServletContainerInitializer} the WAR's {@code META-INF/services} name, each given the classes its
 * {@link HandlesTypes} asks for. ClassGraph reads the class files without loading them; only the classes found are
 * loaded, with the application's class loader.
 */
final class AnnotationScan {

    private AnnotationScan() {
    }

    /**
     * @param scanned WEB-INF/classes and the WEB-INF/lib jars the fragment ordering includes, in its order
     * @param annotated those of them whose annotated classes are registered (none when web.xml is
     *        metadata-complete; a jar whose web-fragment.xml is metadata-complete is left out)
     * @param excluded the jars an absolute ordering left out: their initializers do not run
     */
    static void apply(List<Path> scanned, Set<Path> annotated, Set<Path> excluded, WebAppContext context)
            throws ServletException {
        Set<Path> annotatedPaths = real(annotated);
        Set<Path> excludedPaths = real(excluded);
        List<ServletContainerInitializer> initializers = new ArrayList<>();
        ServiceLoader.load(ServletContainerInitializer.class, context.getClassLoader()).stream()
                .filter(provider -> !excludedPaths.contains(location(provider.type())))
                .forEach(provider -> initializers.add(provider.get()));
        if (scanned.isEmpty() || annotatedPaths.isEmpty() && initializers.isEmpty()) {
            runInitializers(initializers, null, context);
            return;
        }
        try (ScanResult scan = new ClassGraph().overrideClasspath(scanned).enableClassInfo()
                .enableAnnotationInfo().ignoreClassVisibility().scan()) {
            if (!annotatedPaths.isEmpty()) {
                for (Class<?> type : annotated(scan, WebListener.class, annotatedPaths, context)) {
                    context.addListener(type.asSubclass(EventListener.class));
                }
                for (Class<?> type : annotated(scan, WebFilter.class, annotatedPaths, context)) {
                    filter(type, context);
                }
                for (Class<?> type : annotated(scan, WebServlet.class, annotatedPaths, context)) {
                    servlet(type, context);
                }
            }
            runInitializers(initializers, scan, context);
        }
    }

    /** The classes with {@code annotation} that come from one of {@code elements}, loaded. */
    private static List<Class<?>> annotated(ScanResult scan, Class<?> annotation, Set<Path> elements,
            WebAppContext context) throws ServletException {
        return load(in(scan.getClassesWithAnnotation(annotation.getName()), elements), context);
    }

    /** The classes of {@code infos} that come from one of {@code elements}. */
    private static ClassInfoList in(ClassInfoList infos, Set<Path> elements) {
        return infos.filter(info -> elements.contains(real(info.getClasspathElementFile().toPath())));
    }

    private static Set<Path> real(Set<Path> paths) {
        Set<Path> real = new HashSet<>();
        paths.forEach(path -> real.add(real(path)));
        return real;
    }

    /** The path with links resolved, as ClassGraph and the class loader may report it. */
    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** The jar or directory a class was loaded from; null for one without a code source (the JDK's). */
    private static Path location(Class<?> type) {
        java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            return real(Path.of(source.getLocation().toURI()));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static void runInitializers(List<ServletContainerInitializer> initializers, ScanResult scan,
            WebAppContext context) throws ServletException {
        for (ServletContainerInitializer initializer : initializers) {
            HandlesTypes handles = initializer.getClass().getAnnotation(HandlesTypes.class);
            Set<Class<?>> found = null;
            if (handles != null && scan != null) {
                found = new LinkedHashSet<>();
                for (Class<?> wanted : handles.value()) {
                    found.addAll(load(matching(scan, wanted), context));
                }
            }
            Set<Class<?>> classes = found == null || found.isEmpty() ? null : found;
            ClassLoaders.run(context.getClassLoader(), () -> initializer.onStartup(classes, context));
        }
    }

    /** The classes that extend or implement {@code wanted}, or carry it as an annotation. */
    private static ClassInfoList matching(ScanResult scan, Class<?> wanted) {
        String name = wanted.getName();
        if (wanted.isAnnotation()) {
            return scan.getClassesWithAnnotation(name);
        }
        return wanted.isInterface() ? scan.getClassesImplementing(name) : scan.getSubclasses(name);
    }

    private static List<Class<?>> load(ClassInfoList infos, WebAppContext context) throws ServletException {
        List<Class<?>> classes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ClassInfo info : infos) {
            if (seen.add(info.getName())) {
                classes.add(context.loadClass(info.getName(), Object.class));
            }
        }
        return classes;
    }

    private static void servlet(Class<?> type, WebAppContext context) throws ServletException {
        WebServlet annotation = type.getAnnotation(WebServlet.class);
        if (!Servlet.class.isAssignableFrom(type)) {
            throw new ServletException(type.getName() + " has @WebServlet but is not a Servlet");
        }
        String name = annotation.name().isEmpty() ? type.getName() : annotation.name();
        ServletRegistration.Dynamic registration = context.servlet(name) != null ? null
                : context.addServlet(name, type.asSubclass(Servlet.class));
        if (registration == null) {
            return; // web.xml declares it: its settings win (§8.2.3)
        }
        for (WebInitParam param : annotation.initParams()) {
            registration.setInitParameter(param.name(), param.value());
        }
        registration.setLoadOnStartup(annotation.loadOnStartup());
        registration.setAsyncSupported(annotation.asyncSupported());
        String[] patterns = annotation.urlPatterns().length > 0 ? annotation.urlPatterns() : annotation.value();
        if (patterns.length > 0) {
            Set<String> taken = registration.addMapping(patterns);
            if (!taken.isEmpty()) {
                throw new ServletException("@WebServlet " + type.getName() + " maps " + taken
                        + ", which another servlet has");
            }
        }
        MultipartConfig multipart = type.getAnnotation(MultipartConfig.class);
        if (multipart != null) {
            registration.setMultipartConfig(new MultipartConfigElement(multipart));
        }
    }

    private static void filter(Class<?> type, WebAppContext context) throws ServletException {
        WebFilter annotation = type.getAnnotation(WebFilter.class);
        if (!Filter.class.isAssignableFrom(type)) {
            throw new ServletException(type.getName() + " has @WebFilter but is not a Filter");
        }
        String name = annotation.filterName().isEmpty() ? type.getName() : annotation.filterName();
        if (context.filter(name) != null) {
            return;
        }
        FilterRegistration.Dynamic registration = context.addFilter(name, type.asSubclass(Filter.class));
        for (WebInitParam param : annotation.initParams()) {
            registration.setInitParameter(param.name(), param.value());
        }
        registration.setAsyncSupported(annotation.asyncSupported());
        EnumSet<jakarta.servlet.DispatcherType> types = EnumSet.noneOf(jakarta.servlet.DispatcherType.class);
        types.addAll(List.of(annotation.dispatcherTypes()));
        String[] patterns = annotation.urlPatterns().length > 0 ? annotation.urlPatterns() : annotation.value();
        if (patterns.length > 0) {
            registration.addMappingForUrlPatterns(types, true, patterns);
        }
        if (annotation.servletNames().length > 0) {
            registration.addMappingForServletNames(types, true, annotation.servletNames());
        }
    }
}
