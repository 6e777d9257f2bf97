package io.jfcgi.codec;

import java.util.List;

/**
 * FCGI_GET_VALUES_RESULT (§4.1): the application's values for the variables it was asked about and
 * understands. A discrete record: it is sent whole, in one record, with no empty record after it.
 * Always request id 0.
 *
 * @param variables the answered pairs, in order
 */
public record GetValuesResult(List<NameValuePair> variables) implements Record {

    /**
     * A GET_VALUES_RESULT of these pairs.
     *
     * @param variables the answered pairs, in order; copied, and must not be or contain {@code null}
     * @throws IllegalArgumentException if {@code variables} is {@code null}
     * @throws NullPointerException if an element is {@code null}
     */
    public GetValuesResult {
        variables = List.copyOf(Checks.notNull("variables", variables));
    }

    @Override
    public int typeCode() {
        return RecordType.GET_VALUES_RESULT.code();
    }

    @Override
    public int requestId() {
        return RecordHeader.NULL_REQUEST_ID;
    }
}
