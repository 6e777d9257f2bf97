package io.jfcgi.responder;

import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.NameValuePairs;

import java.nio.charset.Charset;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A request's FastCGI parameters (the CGI environment), in the order received. String views are ISO-8859-1,
 * byte for byte; {@link #get(String, Charset)} decodes in another charset. When a name repeats, the last wins,
 * as in a CGI environment.
 */
public final class Parameters {

    private final NameValuePairs pairs;

    private Parameters(NameValuePairs pairs) {
        this.pairs = pairs;
    }

    /** Takes {@code pairs} over, without a copy: the caller must not touch them again. */
    static Parameters adopt(NameValuePairs pairs) {
        return new Parameters(pairs);
    }

    /**
     * A parameter's value, decoded as ISO-8859-1.
     *
     * @param name the parameter's name; case matters
     * @return the value (the last one if the name repeats), or {@code null} if it was not sent
     */
    public String get(String name) {
        int i = pairs.lastIndexOfName(name);
        return i < 0 ? null : pairs.value(i);
    }

    /**
     * A parameter's value decoded in another charset, such as UTF-8 for a REQUEST_URI with raw non-ASCII bytes.
     *
     * @param name    the parameter's name; case matters
     * @param charset the charset the value's bytes are in
     * @return the value (the last one if the name repeats), or {@code null} if it was not sent; bytes that are
     *         not valid in {@code charset} become its replacement char
     */
    public String get(String name, Charset charset) {
        int i = pairs.lastIndexOfName(name);
        return i < 0 ? null : pairs.value(i, charset);
    }

    /**
     * A parameter's value as the bytes received.
     *
     * @param name the parameter's name; case matters
     * @return a new copy of the value's bytes (the last value if the name repeats), or {@code null} if it was not
     *         sent
     */
    public byte[] getBytes(String name) {
        int i = pairs.lastIndexOfName(name);
        return i < 0 ? null : pairs.valueBytes(i);
    }

    /**
     * Whether {@code name} was sent. Lookups scan the pairs without allocating, which beats building a map: a
     * handler looks up a few of the ~30 parameters nginx sends.
     *
     * @param name the parameter's name; case matters
     * @return {@code true} if it was sent, even with an empty value
     */
    public boolean contains(String name) {
        return pairs.lastIndexOfName(name) >= 0;
    }

    /** Whether {@code name} was sent with exactly {@code value}, without making a String of it. */
    boolean valueEquals(String name, String value) {
        int i = pairs.lastIndexOfName(name);
        return i >= 0 && pairs.valueEquals(i, value);
    }

    /**
     * Every pair.
     *
     * @return an unmodifiable list of the pairs in the order received, repeats included
     */
    public List<NameValuePair> pairs() {
        return Collections.unmodifiableList(pairs);
    }

    /**
     * The parameters as a map.
     *
     * @return a new unmodifiable map from name to value (ISO-8859-1), the last value winning when a name repeats;
     *         in no particular order
     */
    public Map<String, String> asMap() {
        Map<String, String> map = new HashMap<>(pairs.size() * 2);
        for (NameValuePair pair : pairs) {
            map.put(pair.name(), pair.value());
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * The number of pairs.
     *
     * @return the number of pairs received, repeats included
     */
    public int size() {
        return pairs.size();
    }
}
