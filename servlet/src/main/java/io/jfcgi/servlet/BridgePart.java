package io.jfcgi.servlet;

import jakarta.servlet.http.Part;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One part of a multipart request: its headers, and its content in memory up to the threshold, in a temporary
 * file beyond it. The temporary file goes when the request ends ({@link #deleteQuietly}) unless
 * {@link #write} moved it.
 */
final class BridgePart implements Part {

    private final Map<String, List<String>> headers;
    private final Map<String, String> disposition;
    private final int threshold;
    private final Path location;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path file;
    private long size;

    BridgePart(Map<String, List<String>> headers, int threshold, Path location) {
        this.headers = headers;
        this.disposition = HeaderParameters.parse(getHeader("content-disposition"));
        this.threshold = threshold;
        this.location = location;
    }

    /** Where the parser writes the content; it moves to a file once past the threshold. */
    OutputStream content() {
        return new OutputStream() {
            private OutputStream fileOut;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                size += len;
                if (fileOut == null && size > threshold) {
                    Files.createDirectories(location);
                    file = Files.createTempFile(location, "jfcgi-part-", ".tmp");
                    fileOut = Files.newOutputStream(file);
                    memory.writeTo(fileOut);
                    memory = null;
                }
                if (fileOut != null) {
                    fileOut.write(b, off, len);
                } else {
                    memory.write(b, off, len);
                }
            }

            @Override
            public void close() throws IOException {
                if (fileOut != null) {
                    fileOut.close();
                }
            }
        };
    }

    /** A field, not a file: it has no filename, so it is a parameter too (Servlet 6 §3.2). */
    boolean isFormField() {
        return getSubmittedFileName() == null;
    }

    byte[] bytes() throws IOException {
        return file == null ? memory.toByteArray() : Files.readAllBytes(file);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return file == null ? new ByteArrayInputStream(memory.toByteArray()) : Files.newInputStream(file);
    }

    @Override
    public String getContentType() {
        return getHeader("content-type");
    }

    @Override
    public String getName() {
        return disposition.get("name");
    }

    @Override
    public String getSubmittedFileName() {
        return disposition.get("filename");
    }

    @Override
    public long getSize() {
        return size;
    }

    @Override
    public void write(String fileName) throws IOException {
        Path target = location.resolve(fileName);
        if (file != null) {
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
            file = target;
        } else {
            Files.write(target, memory.toByteArray());
        }
    }

    @Override
    public void delete() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    void deleteQuietly() {
        try {
            if (file != null && file.getFileName().toString().startsWith("jfcgi-part-")) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a temp file left behind: the system's temp cleaning takes it
        }
    }

    @Override
    public String getHeader(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null ? null : values.get(0);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null ? List.of() : List.copyOf(values);
    }

    @Override
    public Collection<String> getHeaderNames() {
        return List.copyOf(headers.keySet());
    }
}
