package io.jfcgi.responder;

import io.jfcgi.codec.GetValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** FCGI_GET_VALUES_RESULT (§4.1): the limits a web server asks for, from the server's settings. */
class ValuesAnswerTest {

    private static ServerSettings settings(int maxConnections, int maxRequestsPerConnection) {
        return FastCgiServer.builder().handler((request, response) -> { }).maxConnections(maxConnections)
                .maxRequestsPerConnection(maxRequestsPerConnection).build().settings();
    }

    private static List<String> answer(GetValues query, ServerSettings settings) {
        return ValuesAnswer.to(query, settings).variables().stream().map(p -> p.name() + "=" + p.value())
                .collect(Collectors.toList());
    }

    @Test
    void eachNameAskedIsAnsweredInTheOrderAsked() {
        assertEquals(List.of("FCGI_MPXS_CONNS=1", "FCGI_MAX_REQS=5", "FCGI_MAX_CONNS=7"),
                answer(GetValues.of(GetValues.MPXS_CONNS, GetValues.MAX_REQS, GetValues.MAX_CONNS), settings(7, 5)));
    }

    @Test
    void namesWeDoNotUnderstandAreLeftOut() {
        assertEquals(List.of("FCGI_MAX_CONNS=7"), answer(GetValues.of("FCGI_OTHER", GetValues.MAX_CONNS, "x"),
                settings(7, 5)));
    }

    @Test
    void anEmptyQueryGetsAnEmptyAnswer() {
        assertEquals(List.of(), answer(GetValues.of(), settings(7, 5)));
    }

    @ParameterizedTest(name = "{0} requests per connection: FCGI_MPXS_CONNS={1}")
    @CsvSource({"1, 0", "2, 1", "100, 1"})
    void aConnectionMultiplexesWhenItTakesMoreThanOneRequest(int maxRequestsPerConnection, String mpxs) {
        assertEquals(List.of("FCGI_MPXS_CONNS=" + mpxs),
                answer(GetValues.of(GetValues.MPXS_CONNS), settings(7, maxRequestsPerConnection)));
    }
}
