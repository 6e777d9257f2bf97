package io.jfcgi.responder;

import io.jfcgi.codec.GetValues;
import io.jfcgi.codec.GetValuesResult;
import io.jfcgi.codec.NameValuePair;

import java.util.ArrayList;
import java.util.List;

/** The answer to FCGI_GET_VALUES (§4.1): this server's limits, for the names asked that we understand. */
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
                    values.add(NameValuePair.of(name, Integer.toString(settings.maxRequests())));
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
