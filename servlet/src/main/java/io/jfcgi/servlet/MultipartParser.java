package io.jfcgi.servlet;

import jakarta.servlet.MultipartConfigElement;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code multipart/form-data} body (RFC 7578) into {@link BridgePart}s as it streams in: each part's headers,
 * then its content, held in memory up to the file-size threshold and in a temporary file beyond it. The limits of
 * the servlet's {@link MultipartConfigElement} are enforced while reading, so an oversized upload is refused
 * without being stored whole.
 */
final class MultipartParser {

    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private boolean eof;

    private MultipartParser(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // the body starts with the delimiter without its CRLF: as if one came before it
        buffer[0] = '\r';
        buffer[1] = '\n';
        limit = 2;
    }

    /**
     * @param contentType the request's, with its boundary parameter
     * @param location where files beyond the threshold go
     * @throws IllegalStateException when a part or the whole is larger than the config allows (as the spec asks)
     * @throws IOException for a body that is not multipart as its Content-Type says
     */
    static List<BridgePart> parse(InputStream in, String contentType, MultipartConfigElement config, Path location)
            throws IOException {
        String boundary = HeaderParameters.parse(contentType).get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new IOException("the multipart Content-Type has no valid boundary: " + contentType);
        }
        return new MultipartParser(in, boundary).parts(config, location);
    }

    private List<BridgePart> parts(MultipartConfigElement config, Path location) throws IOException {
        List<BridgePart> parts = new ArrayList<>();
        long total = 0;
        try {
            if (!skipTo(OutputStream.nullOutputStream(), Long.MAX_VALUE)) {
                throw new IOException("the multipart body has no boundary line");
            }
            while (true) {
                byte[] after = next(2);
                if (after[0] == '-' && after[1] == '-') {
                    return parts;
                }
                if (after[0] != '\r' || after[1] != '\n') {
                    throw new IOException("the multipart body has a malformed boundary line");
                }
                Map<String, List<String>> headers = headers();
                BridgePart part = new BridgePart(headers, config.getFileSizeThreshold(), location);
                parts.add(part);
                long maxPart = config.getMaxFileSize();
                long allowed = maxPart < 0 ? Long.MAX_VALUE : maxPart;
                try (OutputStream content = part.content()) {
                    if (!skipTo(content, allowed)) {
                        throw new IOException("the multipart body ends inside a part");
                    }
                }
                total += part.getSize();
                if (config.getMaxRequestSize() >= 0 && total > config.getMaxRequestSize()) {
                    throw new IllegalStateException("the multipart request is larger than its limit of "
                            + config.getMaxRequestSize() + " bytes");
                }
            }
        } catch (IOException | RuntimeException e) {
            parts.forEach(BridgePart::deleteQuietly);
            throw e;
        }
    }

    private Map<String, List<String>> headers() throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        while (true) {
            block.reset();
            int previous = -1;
            while (true) {
                int b = read();
                if (b < 0) {
                    throw new IOException("the multipart body ends inside a part's headers");
                }
                if (previous == '\r' && b == '\n') {
                    break;
                }
                if (previous >= 0) {
                    block.write(previous);
                }
                previous = b;
                if (block.size() > MAX_HEADER_BYTES) {
                    throw new IOException("a multipart part's header is over " + MAX_HEADER_BYTES + " bytes");
                }
            }
            String line = block.toString(StandardCharsets.UTF_8); // browsers send UTF-8 file names raw
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        n -> new ArrayList<>(1)).add(line.substring(colon + 1).trim());
            }
        }
    }

    /**
     * Copies bytes to {@code sink} up to the next delimiter, which is consumed.
     *
     * @return false at the end of the input without a delimiter
     * @throws IllegalStateException when more than {@code allowed} bytes come before it
     */
    private boolean skipTo(OutputStream sink, long allowed) throws IOException {
        long copied = 0;
        while (true) {
            fill(delimiter.length);
            int found = indexOf();
            int safe = found >= 0 ? found : eof ? limit : Math.max(pos, limit - delimiter.length + 1);
            copied += safe - pos;
            if (copied > allowed) {
                throw new IllegalStateException("a multipart part is larger than its limit of " + allowed
                        + " bytes");
            }
            sink.write(buffer, pos, safe - pos);
            pos = safe;
            if (found >= 0) {
                pos += delimiter.length;
                return true;
            }
            if (eof) {
                return false;
            }
        }
    }

    private int indexOf() {
        outer:
        for (int i = pos; i <= limit - delimiter.length; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buffer[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private byte[] next(int n) throws IOException {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            int b = read();
            if (b < 0) {
                throw new IOException("the multipart body ends after a boundary");
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }

    private int read() throws IOException {
        fill(1);
        return pos < limit ? buffer[pos++] & 0xFF : -1;
    }

    /** Reads until at least {@code wanted} bytes are buffered past {@code pos}, or the input ends. */
    private void fill(int wanted) throws IOException {
        if (limit - pos >= wanted || eof) {
            return;
        }
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (limit - pos < wanted && !eof) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }
    }
}
