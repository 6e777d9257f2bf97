package io.jfcgi.servlet;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** One servlet of the application: its registration (mappings, load-on-startup, multipart) and its instance. */
final class ServletHolder extends Holder<Servlet> implements ServletRegistration.Dynamic, ServletConfig {

    private volatile int loadOnStartup = -1;
    private volatile MultipartConfigElement multipartConfig;

    ServletHolder(WebAppContext context, String name, String className, Servlet instance) {
        super(context, name, className, instance, Servlet.class);
    }

    @Override
    void init(Servlet target) throws ServletException {
        target.init(this);
    }

    @Override
    void destroy(Servlet target) {
        target.destroy();
    }

    int loadOnStartup() {
        return loadOnStartup;
    }

    MultipartConfigElement multipartConfig() {
        return multipartConfig;
    }

    @Override
    public String getServletName() {
        return getName();
    }

    @Override
    public Set<String> addMapping(String... urlPatterns) {
        if (urlPatterns == null || urlPatterns.length == 0) {
            throw new IllegalArgumentException("addMapping needs at least one url-pattern");
        }
        Set<String> conflicts = new LinkedHashSet<>();
        for (String pattern : urlPatterns) {
            String owner = context.mappings().servletFor(pattern);
            if (owner != null && !owner.equals(getName())) {
                conflicts.add(pattern);
            }
        }
        if (conflicts.isEmpty()) {
            for (String pattern : urlPatterns) {
                context.mappings().add(pattern, getName());
            }
        }
        return conflicts;
    }

    @Override
    public Collection<String> getMappings() {
        return context.mappings().patternsOf(getName());
    }

    @Override
    public String getRunAsRole() {
        return null;
    }

    @Override
    public void setLoadOnStartup(int value) {
        loadOnStartup = value;
    }

    @Override
    public Set<String> setServletSecurity(ServletSecurityElement constraint) {
        return Set.of(); // security constraints are the web server's business here (auth_request, etc.)
    }

    @Override
    public void setMultipartConfig(MultipartConfigElement value) {
        multipartConfig = value;
    }

    @Override
    public void setRunAsRole(String roleName) {
        // no container security: nothing to run as
    }
}
