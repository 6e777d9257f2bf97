package io.jfcgi.responder;

import io.jfcgi.codec.GetValues;
import io.jfcgi.codec.GetValuesResult;
import io.jfcgi.codec.NameValuePair;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer to FCGI_GET_VALUES (§4.1): this server's limits, for the names asked that we understand.
 * FCGI_MAX_REQS is what one connection takes ({@code --max-reqs-per-conn}): HAProxy, the one web server that asks,
 * takes it as its limit per connection (in place of its own {@code max-reqs}), and leaves a request we refuse with
 * CANT_MPX_CONN unanswered until its server timeout. Requests past what the process runs at once wait on their
 * connection, so every one of them is taken.
 */
final class ValuesAnswer {

    private ValuesAnswer() {
    }

    static GetValuesResult to(GetValues query, ServerSettings settings) {
        List<NameValuePair> values = new ArrayList<>();
        for (NameValuePair asked : query.variables()) {
            String name = asked.name();
            switch (name) {
                case GetValues.MAX_CONNS:
                    values.add(NameValuePair.of(name, Integer.toString(settings.maxConnections())));
                    break;
                case GetValues.MAX_REQS:
                    values.add(NameValuePair.of(name, Integer.toString(settings.maxRequestsPerConnection())));
                    break;
                case GetValues.MPXS_CONNS:
                    values.add(NameValuePair.of(name, settings.maxRequestsPerConnection() > 1 ? "1" : "0"));
                    break;
                default:
                    break; // §4.1: answer only the names we understand
            }
        }
        return new GetValuesResult(values);
    }
}
