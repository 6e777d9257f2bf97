package io.jfcgi.servlet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UriPathTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/|/",
            "/a/b|/a/b",
            "/a/b/|/a/b/",
            "//a///b|/a/b",
            "/a/./b|/a/b",
            "/a/b/..|/a/",
            "/a/b/../c|/a/c",
            "/a/.|/a/",
            "/a;jsessionid=1/b;x=y|/a/b",
            "/caf%C3%A9|/café",
            "/a%20b|/a b",
            "/a+b|/a+b",
            "/..;/x|/x",
    })
    void canonicalPathIs(String raw, String canonical) {
        if (raw.equals("/..;/x")) {
            // ";" is a path parameter: "..;" is ".." and climbs above the root
            assertThrows(BadRequestException.class, () -> UriPath.canonical(raw));
            return;
        }
        assertEquals(canonical, UriPath.canonical(raw));
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource({
            "/..",
            "/a/../..",
            "/a%2Fb",
            "/a%5Cb",
            "/a%00b",
            "/%2e%2e/x",
            "/a/%2E",
            "/a%zz",
            "/a%4",
            "relative",
    })
    void malformedOrEscapingPathsAreRefused(String raw) {
        assertThrows(BadRequestException.class, () -> UriPath.canonical(raw));
    }
}
