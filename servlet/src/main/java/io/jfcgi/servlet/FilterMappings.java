package io.jfcgi.servlet;

import jakarta.servlet.DispatcherType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The filter mappings of one application, in the order of Servlet 6 §6.2.4: the url-pattern mappings in the order
 * they were declared, then the servlet-name mappings; a mapping added "after" goes behind those declared in the
 * deployment descriptor. In a filter mapping the pattern {@code /} matches every path, as {@code /*} does.
 */
final class FilterMappings {

    /** One mapping: a filter, the url patterns or servlet names it applies to, and for which dispatches. */
    record Mapping(String filterName, List<UrlPattern> urlPatterns, List<String> servletNames,
            Set<DispatcherType> dispatcherTypes) {

        boolean appliesTo(String path, String servletName, DispatcherType type) {
            if (!dispatcherTypes.contains(type)) {
                return false;
            }
            for (UrlPattern pattern : urlPatterns) {
                if (path != null && (pattern.kind() == jakarta.servlet.http.MappingMatch.DEFAULT
                        || pattern.matches(path))) {
                    return true;
                }
            }
            return servletName != null && (servletNames.contains(servletName) || servletNames.contains("*"));
        }
    }

    private final List<Mapping> first = new CopyOnWriteArrayList<>();
    private final List<Mapping> after = new CopyOnWriteArrayList<>();

    void addUrlPatterns(String filterName, Set<DispatcherType> types, boolean isMatchAfter, String... patterns) {
        List<UrlPattern> parsed = new ArrayList<>();
        for (String pattern : patterns) {
            parsed.add(UrlPattern.parse(pattern));
        }
        (isMatchAfter ? after : first).add(new Mapping(filterName, List.copyOf(parsed), List.of(), types(types)));
    }

    void addServletNames(String filterName, Set<DispatcherType> types, boolean isMatchAfter, String... names) {
        (isMatchAfter ? after : first).add(new Mapping(filterName, List.of(), List.of(names), types(types)));
    }

    /** The names of the filters for one dispatch, in the order they run; a filter appears once. */
    List<String> filtersFor(String path, String servletName, DispatcherType type) {
        if (first.isEmpty() && after.isEmpty()) {
            return List.of(); // an application without filters: no list per request
        }
        List<String> names = new ArrayList<>();
        collect(names, path, servletName, type, true);
        collect(names, path, servletName, type, false);
        return names;
    }

    Collection<String> urlPatternsOf(String filterName) {
        List<String> patterns = new ArrayList<>();
        for (List<Mapping> list : List.of(first, after)) {
            for (Mapping m : list) {
                if (m.filterName().equals(filterName)) {
                    m.urlPatterns().forEach(p -> patterns.add(p.text()));
                }
            }
        }
        return patterns;
    }

    Collection<String> servletNamesOf(String filterName) {
        List<String> names = new ArrayList<>();
        for (List<Mapping> list : List.of(first, after)) {
            for (Mapping m : list) {
                if (m.filterName().equals(filterName)) {
                    names.addAll(m.servletNames());
                }
            }
        }
        return names;
    }

    private void collect(List<String> names, String path, String servletName, DispatcherType type, boolean byUrl) {
        collect(first, names, path, servletName, type, byUrl);
        collect(after, names, path, servletName, type, byUrl);
    }

    private static void collect(List<Mapping> list, List<String> names, String path, String servletName,
            DispatcherType type, boolean byUrl) {
        for (int i = 0; i < list.size(); i++) { // by index: no iterator per request and mapping list
            Mapping m = list.get(i);
            boolean urlMapping = !m.urlPatterns().isEmpty();
            if (urlMapping == byUrl && !names.contains(m.filterName())
                    && m.appliesTo(byUrl ? path : null, byUrl ? null : servletName, type)) {
                names.add(m.filterName());
            }
        }
    }

    private static Set<DispatcherType> types(Set<DispatcherType> types) {
        return types == null || types.isEmpty() ? EnumSet.of(DispatcherType.REQUEST) : EnumSet.copyOf(types);
    }
}
