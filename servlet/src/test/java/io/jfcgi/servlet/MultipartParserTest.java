package io.jfcgi.servlet;

import jakarta.servlet.MultipartConfigElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipartParserTest {

    private static final String TYPE = "multipart/form-data; boundary=XyZ";

    @TempDir
    Path dir;

    private static String body(String... parts) {
        StringBuilder body = new StringBuilder("preamble\r\n");
        for (String part : parts) {
            body.append("--XyZ\r\n").append(part).append("\r\n");
        }
        return body.append("--XyZ--\r\n").toString();
    }

    private static final String FIELD = "Content-Disposition: form-data; name=\"title\"\r\n\r\ncafé";
    private static final String FILE = "Content-Disposition: form-data; name=\"upload\"; filename=\"a \\\"b\\\".txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\nline one\r\n--Xy-not-a-boundary\r\nline two";

    /** Hands out one byte per read, so that every boundary straddles reads. */
    private static InputStream trickle(byte[] bytes) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    private List<BridgePart> parse(InputStream in, MultipartConfigElement config) throws IOException {
        return MultipartParser.parse(in, TYPE, config, dir);
    }

    @Test
    void fieldsAndFilesAreSplitWithTheirHeaders() throws Exception {
        List<BridgePart> parts = parse(new ByteArrayInputStream(body(FIELD, FILE).getBytes(StandardCharsets.UTF_8)),
                new MultipartConfigElement(""));
        assertEquals(2, parts.size());
        assertEquals("title", parts.get(0).getName());
        assertTrue(parts.get(0).isFormField());
        assertEquals("café", new String(parts.get(0).bytes(), StandardCharsets.UTF_8));
        assertEquals("upload", parts.get(1).getName());
        assertEquals("a \"b\".txt", parts.get(1).getSubmittedFileName());
        assertEquals("text/plain", parts.get(1).getContentType());
        assertEquals("line one\r\n--Xy-not-a-boundary\r\nline two", new String(parts.get(1).bytes(),
                StandardCharsets.UTF_8));
    }

    @Test
    void boundariesStraddlingReadsAreFound() throws Exception {
        List<BridgePart> parts = parse(trickle(body(FIELD, FILE).getBytes(StandardCharsets.UTF_8)),
                new MultipartConfigElement(""));
        assertEquals(List.of("title", "upload"), parts.stream().map(BridgePart::getName).toList());
        assertEquals(39, parts.get(1).getSize());
    }

    @Test
    void aPartPastTheThresholdGoesToATemporaryFileRemovedAtTheEnd() throws Exception {
        byte[] content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i % 251);
        }
        byte[] head = ("--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big.bin\"\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = "\r\n--XyZ--".getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        BridgePart part = parse(new ByteArrayInputStream(body), new MultipartConfigElement("", -1, -1, 1024)).get(0);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
        try (InputStream in = part.getInputStream()) {
            assertArrayEquals(content, in.readAllBytes());
        }
        part.deleteQuietly();
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aPartOverMaxFileSizeIsRefusedWhileReading() {
        assertThrows(IllegalStateException.class, () -> parse(new ByteArrayInputStream(
                body(FILE).getBytes(StandardCharsets.UTF_8)), new MultipartConfigElement("", 10, -1, 0)));
    }

    @Test
    void aRequestOverMaxRequestSizeIsRefused() {
        assertThrows(IllegalStateException.class, () -> parse(new ByteArrayInputStream(
                body(FIELD, FILE).getBytes(StandardCharsets.UTF_8)), new MultipartConfigElement("", -1, 20, 0)));
    }

    @Test
    void aBodyCutInsideAPartIsAnIOException() {
        assertThrows(IOException.class, () -> parse(new ByteArrayInputStream(
                "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end".getBytes(StandardCharsets.UTF_8)),
                new MultipartConfigElement("")));
    }

    @Test
    void aContentTypeWithoutBoundaryIsAnIOException() {
        assertThrows(IOException.class, () -> MultipartParser.parse(new ByteArrayInputStream(new byte[0]),
                "multipart/form-data", new MultipartConfigElement(""), dir));
    }

    @Test
    void headerParametersAreUnquotedAndNamesLowerCase() {
        assertEquals(Map.of("name", "a;b", "filename", "x.txt"),
                HeaderParameters.parse("form-data; Name=\"a;b\"; filename=x.txt"));
        assertNull(HeaderParameters.parse("form-data").get("name"));
    }
}
