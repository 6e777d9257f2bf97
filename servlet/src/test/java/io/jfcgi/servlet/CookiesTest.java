package io.jfcgi.servlet;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CookiesTest {

    @Test
    void aCookieHeaderGivesEachPairUnquoted() {
        List<Cookie> cookies = Cookies.parse("a=1; b=\"two\";c=; =skipped; d");
        assertEquals(List.of("a=1", "b=two", "c="),
                cookies.stream().map(c -> c.getName() + "=" + c.getValue()).toList());
    }

    @Test
    void setCookieCarriesMaxAgeExpiresAndTheAttributesThatAreOn() {
        Cookie cookie = new Cookie("id", "42");
        cookie.setMaxAge(60);
        cookie.setPath("/app");
        cookie.setHttpOnly(true);
        cookie.setSecure(false);
        cookie.setAttribute("SameSite", "Lax");
        assertEquals("id=42; Max-Age=60; Expires=Thu, 1 Jan 1970 00:01:00 GMT; HttpOnly; Path=/app; SameSite=Lax",
                Cookies.format(cookie, Instant.EPOCH));
    }

    @Test
    void aSessionCookieHasNoMaxAge() {
        assertEquals("s=v", Cookies.format(new Cookie("s", "v"), Instant.EPOCH));
    }
}
