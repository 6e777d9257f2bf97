package io.jfcgi.servlet;

import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FilterMappingsTest {

    @Test
    void urlPatternMappingsComeBeforeServletNameMappingsEachInDeclarationOrder() {
        FilterMappings mappings = new FilterMappings();
        mappings.addServletNames("byName", null, true, "s");
        mappings.addUrlPatterns("second", null, true, "/*");
        mappings.addUrlPatterns("first", null, false, "/a/*");
        assertEquals(List.of("first", "second", "byName"), mappings.filtersFor("/a/b", "s", DispatcherType.REQUEST));
    }

    @Test
    void aMappingAppliesOnlyToItsDispatcherTypesRequestByDefault() {
        FilterMappings mappings = new FilterMappings();
        mappings.addUrlPatterns("plain", null, true, "/*");
        mappings.addUrlPatterns("forwards", EnumSet.of(DispatcherType.FORWARD), true, "/*");
        assertEquals(List.of("plain"), mappings.filtersFor("/x", "s", DispatcherType.REQUEST));
        assertEquals(List.of("forwards"), mappings.filtersFor("/x", "s", DispatcherType.FORWARD));
    }

    @Test
    void patternsMatchByTheServletRulesAndSlashMatchesEverything() {
        FilterMappings mappings = new FilterMappings();
        mappings.addUrlPatterns("ext", null, true, "*.do");
        mappings.addUrlPatterns("exact", null, true, "/login");
        mappings.addUrlPatterns("slash", null, true, "/");
        assertEquals(List.of("ext", "slash"), mappings.filtersFor("/a/b.do", "s", DispatcherType.REQUEST));
        assertEquals(List.of("exact", "slash"), mappings.filtersFor("/login", "s", DispatcherType.REQUEST));
    }

    @Test
    void aStarServletNameMatchesEveryServletAndAFilterRunsOnce() {
        FilterMappings mappings = new FilterMappings();
        mappings.addServletNames("all", null, true, "*");
        mappings.addUrlPatterns("all", null, true, "/*");
        assertEquals(List.of("all"), mappings.filtersFor("/x", "any", DispatcherType.REQUEST));
    }
}
