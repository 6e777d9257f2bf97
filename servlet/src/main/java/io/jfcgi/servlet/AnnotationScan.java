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

import java.net.URL;
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
     * @param classPath WEB-INF/classes and the WEB-INF/lib jars
     * @param annotations whether to register the annotated classes (false when web.xml is metadata-complete)
     */
    static void apply(List<URL> classPath, WebAppContext context, boolean annotations) throws ServletException {
        List<ServletContainerInitializer> initializers = new ArrayList<>();
        ServiceLoader.load(ServletContainerInitializer.class, context.getClassLoader()).forEach(initializers::add);
        if (classPath.isEmpty() || !annotations && initializers.isEmpty()) {
            runInitializers(initializers, null, context);
            return;
        }
        try (ScanResult scan = new ClassGraph().overrideClasspath(classPath).enableClassInfo()
                .enableAnnotationInfo().ignoreClassVisibility().scan()) {
            if (annotations) {
                for (Class<?> type : load(scan.getClassesWithAnnotation(WebListener.class.getName()), context)) {
                    context.addListener(type.asSubclass(EventListener.class));
                }
                for (Class<?> type : load(scan.getClassesWithAnnotation(WebFilter.class.getName()), context)) {
                    filter(type, context);
                }
                for (Class<?> type : load(scan.getClassesWithAnnotation(WebServlet.class.getName()), context)) {
                    servlet(type, context);
                }
            }
            runInitializers(initializers, scan, context);
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
