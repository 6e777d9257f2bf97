package io.jfcgi.servlet.testfragments;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;

import java.util.Set;

/** In a fragment jar's META-INF/services: runs unless an absolute ordering leaves its jar out. */
public class JarInitializer implements ServletContainerInitializer {
    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.setAttribute("initializer", "ran");
    }
}
