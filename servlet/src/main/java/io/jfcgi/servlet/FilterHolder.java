package io.jfcgi.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletException;

import java.util.Collection;
import java.util.EnumSet;

/** One filter of the application: its registration and mappings, and its instance, initialised at start. */
final class FilterHolder extends Holder<Filter> implements FilterRegistration.Dynamic, FilterConfig {

    FilterHolder(WebAppContext context, String name, String className, Filter instance) {
        super(context, name, className, instance, Filter.class);
    }

    @Override
    void init(Filter target) throws ServletException {
        target.init(this);
    }

    @Override
    void destroy(Filter target) {
        target.destroy();
    }

    @Override
    public String getFilterName() {
        return getName();
    }

    @Override
    public void addMappingForServletNames(EnumSet<DispatcherType> types, boolean isMatchAfter, String... names) {
        context.filterMappings().addServletNames(getName(), types, isMatchAfter, names);
    }

    @Override
    public Collection<String> getServletNameMappings() {
        return context.filterMappings().servletNamesOf(getName());
    }

    @Override
    public void addMappingForUrlPatterns(EnumSet<DispatcherType> types, boolean isMatchAfter, String... patterns) {
        context.filterMappings().addUrlPatterns(getName(), types, isMatchAfter, patterns);
    }

    @Override
    public Collection<String> getUrlPatternMappings() {
        return context.filterMappings().urlPatternsOf(getName());
    }
}
