package io.jfcgi.servlet;

import jakarta.servlet.http.MappingMatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mapping rules of Servlet 6 §12.2, with the examples of §12.2.2 among the rows. */
class ServletMappingsTest {

    private static ServletMappings mappings() {
        ServletMappings mappings = new ServletMappings();
        mappings.add("/foo/bar/*", "servlet1");
        mappings.add("/baz/*", "servlet2");
        mappings.add("/catalog", "servlet3");
        mappings.add("*.bop", "servlet4");
        mappings.add("/exact.bop", "exact");
        mappings.add("", "root");
        mappings.add("/", "default");
        return mappings;
    }

    @ParameterizedTest(name = "{0} -> {1} servletPath={2} pathInfo={3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "/foo/bar/index.html|servlet1|/foo/bar|/index.html|PATH|index.html",
            "/foo/bar/index.bop|servlet1|/foo/bar|/index.bop|PATH|index.bop",
            "/foo/bar|servlet1|/foo/bar|null|PATH|''",
            "/foo/bar/|servlet1|/foo/bar|/|PATH|''",
            "/baz|servlet2|/baz|null|PATH|''",
            "/baz/index.html|servlet2|/baz|/index.html|PATH|index.html",
            "/catalog|servlet3|/catalog|null|EXACT|catalog",
            "/catalog/index.html|default|/catalog/index.html|null|DEFAULT|''",
            "/catalog/racecar.bop|servlet4|/catalog/racecar.bop|null|EXTENSION|catalog/racecar",
            "/index.bop|servlet4|/index.bop|null|EXTENSION|index",
            "/exact.bop|exact|/exact.bop|null|EXACT|exact.bop",
            "/|root|''|/|CONTEXT_ROOT|''",
            "/foobar|default|/foobar|null|DEFAULT|''",
            "/a.bop/b|default|/a.bop/b|null|DEFAULT|''",
    })
    void pathMapsTo(String path, String servlet, String servletPath, String pathInfo, MappingMatch kind,
            String matchValue) {
        ServletMatch match = mappings().match(path).orElseThrow();
        assertEquals(servlet, match.servletName());
        assertEquals(servletPath, match.servletPath());
        assertEquals(pathInfo, match.pathInfo());
        assertEquals(kind, match.getMappingMatch());
        assertEquals(matchValue, match.getMatchValue());
    }

    @Test
    void longestPrefixWins() {
        ServletMappings mappings = new ServletMappings();
        mappings.add("/a/*", "short");
        mappings.add("/a/b/*", "long");
        assertEquals("long", mappings.match("/a/b/c").orElseThrow().servletName());
        assertEquals("short", mappings.match("/a/bc").orElseThrow().servletName());
    }

    @Test
    void slashStarTakesEverythingWithAnEmptyServletPath() {
        ServletMappings mappings = new ServletMappings();
        mappings.add("/*", "all");
        mappings.add("*.jsp", "jsp");
        ServletMatch match = mappings.match("/x.jsp").orElseThrow();
        assertEquals("all", match.servletName());
        assertEquals("", match.servletPath());
        assertEquals("/x.jsp", match.pathInfo());
    }

    @Test
    void withoutADefaultServletAnUnmappedPathMatchesNothing() {
        ServletMappings mappings = new ServletMappings();
        mappings.add("/only", "only");
        assertTrue(mappings.match("/other").isEmpty());
    }

    @Test
    void aPatternBelongsToOneServlet() {
        ServletMappings mappings = new ServletMappings();
        assertTrue(mappings.add("/x", "a"));
        assertFalse(mappings.add("/x", "b"));
        assertTrue(mappings.add("/x", "a"));
        assertEquals("a", mappings.servletFor("/x"));
    }

    @ParameterizedTest
    @CsvSource({"x", "/a*", "*.", "/*/a", "**.x", "*.a/b"})
    void patternsOfNoKindAreRefused(String pattern) {
        assertThrows(IllegalArgumentException.class, () -> UrlPattern.parse(pattern));
    }
}
