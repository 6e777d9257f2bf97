package io.jfcgi.codec;

import java.util.ArrayList;
import java.util.List;

/**
 * FCGI_GET_VALUES (§4.1): the web server asks for the application's values of some variables. The body is
 * name-value pairs whose values are empty; a value sent anyway is kept but means nothing. Always request id 0.
 *
 * @param variables the pairs as received, in order
 */
public record GetValues(List<NameValuePair> variables) implements Record {

    /** FCGI_MAX_CONNS: the most concurrent transport connections the application accepts. */
    public static final String MAX_CONNS = "FCGI_MAX_CONNS";
    /** FCGI_MAX_REQS: the most concurrent requests the application accepts. */
    public static final String MAX_REQS = "FCGI_MAX_REQS";
    /** FCGI_MPXS_CONNS: "1" if the application multiplexes connections, else "0". */
    public static final String MPXS_CONNS = "FCGI_MPXS_CONNS";

    /**
     * A GET_VALUES of these pairs.
     *
     * @param variables the pairs, in order; copied, and must not be or contain {@code null}
     * @throws IllegalArgumentException if {@code variables} is {@code null}
     * @throws NullPointerException if an element is {@code null}
     */
    public GetValues {
        variables = List.copyOf(Checks.notNull("variables", variables));
    }

    /**
     * A query for these variables, each with an empty value.
     *
     * @param names the variable names, such as {@link #MAX_CONNS}; ISO-8859-1 strings
     * @return the GET_VALUES record
     * @throws IllegalArgumentException if a name is {@code null} or has a char outside ISO-8859-1
     */
    public static GetValues of(String... names) {
        List<NameValuePair> pairs = new ArrayList<>(names.length);
        for (String name : names) {
            pairs.add(NameValuePair.of(name, ""));
        }
        return new GetValues(pairs);
    }

    /**
     * The names asked for.
     *
     * @return the variables' names, in order, decoded as ISO-8859-1; a new list
     */
    public List<String> names() {
        List<String> names = new ArrayList<>(variables.size());
        for (NameValuePair pair : variables) {
            names.add(pair.name());
        }
        return names;
    }

    @Override
    public int typeCode() {
        return RecordType.GET_VALUES.code();
    }

    @Override
    public int requestId() {
        return RecordHeader.NULL_REQUEST_ID;
    }
}
