package io.jfcgi.responder;

import io.jfcgi.codec.NameValuePair;

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

    private final List<NameValuePair> pairs;

    private Parameters(List<NameValuePair> pairs) {
        this.pairs = pairs;
    }

    /** Takes {@code pairs} over, without a copy: the caller must not touch the list again. */
    static Parameters adopt(List<NameValuePair> pairs) {
        return new Parameters(Collections.unmodifiableList(pairs));
    }

    /** The value of {@code name}, or {@code null} if it was not sent. */
    public String get(String name) {
        NameValuePair pair = find(name);
        return pair == null ? null : pair.value();
    }

    /** The value of {@code name} decoded in {@code charset}, or {@code null}. */
    public String get(String name, Charset charset) {
        NameValuePair pair = find(name);
        return pair == null ? null : pair.value(charset);
    }

    /** A copy of the value's bytes, or {@code null}. */
    public byte[] getBytes(String name) {
        NameValuePair pair = find(name);
        return pair == null ? null : pair.valueBytes();
    }

    public boolean contains(String name) {
        return find(name) != null;
    }

    /** Every pair, in the order received (repeats included). */
    public List<NameValuePair> pairs() {
        return pairs;
    }

    /** Name to value, last one winning. */
    public Map<String, String> asMap() {
        Map<String, String> map = new HashMap<>(pairs.size() * 2);
        for (NameValuePair pair : pairs) {
            map.put(pair.name(), pair.value());
        }
        return Collections.unmodifiableMap(map);
    }

    public int size() {
        return pairs.size();
    }

    /**
     * The last pair named {@code name}. A scan without allocation beats building a map: a handler looks up a
     * few of the ~30 parameters nginx sends.
     */
    private NameValuePair find(String name) {
        for (int i = pairs.size() - 1; i >= 0; i--) {
            NameValuePair pair = pairs.get(i);
            if (pair.nameEquals(name)) {
                return pair;
            }
        }
        return null;
    }
}
