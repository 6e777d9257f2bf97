package io.jfcgi.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebXmlTest {

    /** A servlet class web.xml can name. */
    public static final class Named extends HttpServlet {
        private static final long serialVersionUID = 1L;
    }

    private static final String FULL = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
              <display-name>shop</display-name>
              <context-param><param-name>mode</param-name><param-value>test</param-value></context-param>
              <filter>
                <filter-name>f</filter-name><filter-class>some.Filter</filter-class>
                <init-param><param-name>a</param-name><param-value>1</param-value></init-param>
              </filter>
              <filter-mapping>
                <filter-name>f</filter-name><url-pattern>/x/*</url-pattern>
                <dispatcher>REQUEST</dispatcher><dispatcher>FORWARD</dispatcher>
              </filter-mapping>
              <servlet>
                <servlet-name>s</servlet-name><servlet-class>io.jfcgi.servlet.WebXmlTest$Named</servlet-class>
                <init-param><param-name>greeting</param-name><param-value>hi</param-value></init-param>
                <load-on-startup>2</load-on-startup>
                <multipart-config><max-file-size>5000000000</max-file-size></multipart-config>
              </servlet>
              <servlet-mapping><servlet-name>s</servlet-name><url-pattern>/s</url-pattern><url-pattern>*.s</url-pattern></servlet-mapping>
              <session-config>
                <session-timeout>5</session-timeout>
                <cookie-config><name>SID</name><secure>true</secure></cookie-config>
              </session-config>
              <mime-mapping><extension>foo</extension><mime-type>application/x-foo</mime-type></mime-mapping>
              <welcome-file-list><welcome-file>start.html</welcome-file></welcome-file-list>
              <error-page><error-code>404</error-code><location>/404.html</location></error-page>
              <error-page><exception-type>java.lang.IllegalStateException</exception-type><location>/ise</location></error-page>
              <request-character-encoding>UTF-8</request-character-encoding>
            </web-app>
            """;

    private static WebAppContext context() {
        return new WebAppContext("", WebXmlTest.class.getClassLoader(), null);
    }

    private static WebXml.Facts apply(String xml, WebAppContext context) throws Exception {
        return WebXml.apply(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), context);
    }

    @Test
    void everyElementLandsInTheContext() throws Exception {
        WebAppContext context = context();
        assertTrue(apply(FULL, context).metadataComplete());
        assertEquals("shop", context.getServletContextName());
        assertEquals("test", context.getInitParameter("mode"));
        assertEquals("1", context.getFilterRegistration("f").getInitParameter("a"));
        assertEquals(List.of("f"), context.filterMappings().filtersFor("/x/y", "s", DispatcherType.FORWARD));
        assertEquals(List.of(), context.filterMappings().filtersFor("/x/y", "s", DispatcherType.INCLUDE));
        ServletRegistration servlet = context.getServletRegistration("s");
        assertEquals("hi", servlet.getInitParameter("greeting"));
        assertEquals(2, context.servlet("s").loadOnStartup());
        assertEquals(5_000_000_000L, context.servlet("s").multipartConfig().getMaxFileSize());
        assertEquals(List.of("*.s", "/s"), List.copyOf(servlet.getMappings()));
        assertEquals(5, context.getSessionTimeout());
        assertEquals("SID", context.getSessionCookieConfig().getName());
        assertTrue(context.getSessionCookieConfig().isSecure());
        assertEquals("application/x-foo", context.getMimeType("a.foo"));
        assertEquals(List.of("start.html"), context.welcomeFiles());
        assertEquals("/404.html", context.errorPages().forCode(404));
        assertEquals("/ise", context.errorPages().forThrowable(new IllegalStateException()));
        assertEquals("UTF-8", context.getRequestCharacterEncoding());
    }

    @Test
    void theDtdEraFormatWithoutNamespaceIsReadAndItsDtdNotFetched() throws Exception {
        WebAppContext context = context();
        apply("""
                <?xml version="1.0"?>
                <!DOCTYPE web-app PUBLIC "-//Sun Microsystems, Inc.//DTD Web Application 2.3//EN"
                  "http://java.sun.com/dtd/web-app_2_3.dtd">
                <web-app><context-param><param-name>old</param-name><param-value>yes</param-value></context-param>
                </web-app>
                """, context);
        assertEquals("yes", context.getInitParameter("old"));
    }

    @Test
    void aMappingOfAnUndeclaredServletIsAOneLineError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> apply("""
                <web-app><servlet-mapping><servlet-name>ghost</servlet-name><url-pattern>/g</url-pattern>
                </servlet-mapping></web-app>""", context()));
        assertEquals("servlet-mapping names servlet 'ghost', which web.xml does not declare", e.getMessage());
    }

    @Test
    void aJspServletIsRefusedSayingSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> apply("""
                <web-app><servlet><servlet-name>j</servlet-name><jsp-file>/a.jsp</jsp-file></servlet></web-app>""",
                context()));
        assertTrue(e.getMessage().contains("JSP is not supported"), e.getMessage());
    }

    @Test
    void malformedXmlIsAOneLineError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> apply("<web-app><oops></web-app>", context()));
        assertTrue(e.getMessage().startsWith("web.xml is not well-formed XML"), e.getMessage());
    }
}
