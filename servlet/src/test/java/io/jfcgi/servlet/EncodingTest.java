package io.jfcgi.servlet;

import io.jfcgi.tools.FastCgiResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The charset rules of Servlet 6 §5.6 (responses) and §3.12 (requests), through the bridge. */
class EncodingTest {

    static BridgeServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new BridgeServer(ServletApp.builder()
                .servlet("/write", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    /** Applies the type, then the encoding, then the locale the query names; writes "é€". */
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        if (req.getParameter("type") != null) {
                            resp.setContentType(req.getParameter("type"));
                        }
                        if (req.getParameter("enc") != null) {
                            resp.setCharacterEncoding(req.getParameter("enc"));
                        }
                        resp.getWriter().print("é€");
                        if (req.getParameter("late") != null) {
                            resp.setCharacterEncoding(req.getParameter("late")); // after getWriter: ignored
                        }
                    }
                })
                .servlet("/read", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                        if (req.getHeader("X-Set-Encoding") != null) {
                            req.setCharacterEncoding(req.getHeader("X-Set-Encoding"));
                        }
                        resp.setContentType("text/plain;charset=UTF-8");
                        resp.getWriter().print(req.getCharacterEncoding() + "|" + req.getParameter("v"));
                    }
                }));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String query(String name, String value) {
        return value.isEmpty() ? "" : "&" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "type={0} enc={1} late={2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "text/html|''|''|text/html;charset=ISO-8859-1",
            "text/html; charset=UTF-8|''|''|text/html;charset=UTF-8",
            "text/html|UTF-8|''|text/html;charset=UTF-8",
            "text/plain;charset=UTF-16BE|''|''|text/plain;charset=UTF-16BE",
            "text/html; charset=UTF-8|ISO-8859-1|''|text/html;charset=ISO-8859-1",
            "text/html|UTF-8|ISO-8859-1|text/html;charset=UTF-8",
    })
    void theWritersCharsetIsTheLastChosenBeforeGetWriter(String type, String enc, String late, String header)
            throws Exception {
        FastCgiResponse response = server.get("/write?x=1" + query("type", type) + query("enc", enc)
                + query("late", late));
        assertEquals(header, response.header("Content-Type"));
        Charset charset = Charset.forName(header.substring(header.indexOf('=') + 1));
        assertEquals(new String("é€".getBytes(charset), charset), new String(response.body(), charset));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', value = {
            "application/x-www-form-urlencoded|''|v=%C3%A9|null|é",
            "application/x-www-form-urlencoded; charset=ISO-8859-1|''|v=%E9|ISO-8859-1|é",
            "application/x-www-form-urlencoded|ISO-8859-1|v=%E9|ISO-8859-1|é",
            "application/x-www-form-urlencoded; charset=UTF-8|ISO-8859-1|v=%C3%A9|ISO-8859-1|Ã©",
    })
    void formParametersAreDecodedInTheRequestsEncoding(String contentType, String setEncoding, String body,
            String reported, String value) throws Exception {
        Map<String, String> params = setEncoding.isEmpty() ? Map.of("CONTENT_TYPE", contentType)
                : Map.of("CONTENT_TYPE", contentType, "HTTP_X_SET_ENCODING", setEncoding);
        FastCgiResponse response = server.send("POST", "/read", params, body);
        assertEquals(reported + "|" + value, response.bodyText());
    }

    @Test
    void aQueryStringIsDecodedAsUtf8() throws Exception {
        FastCgiResponse response = server.send("POST", "/read?v=%E2%82%AC", Map.of("CONTENT_TYPE", "text/plain"),
                "");
        assertEquals("null|€", response.bodyText());
    }
}
