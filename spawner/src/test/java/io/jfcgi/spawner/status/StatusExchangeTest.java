package io.jfcgi.spawner.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jfcgi.spawner.status.StatusExchange.Phase;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every transition of {@link StatusExchange} from every phase: the table in its javadoc, and nothing else. */
class StatusExchangeTest {

    /** Brings a fresh exchange to {@code phase}, with FCGI_KEEP_CONN as {@code keep}. */
    private static StatusExchange in(Phase phase, boolean keep) {
        StatusExchange exchange = new StatusExchange();
        switch (phase) {
            case IDLE -> { }
            case PARAMS -> exchange.begin(1, keep);
            case STDIN -> {
                exchange.begin(1, keep);
                exchange.paramsEnded();
            }
            case ANSWERING -> {
                exchange.begin(1, keep);
                exchange.paramsEnded();
                exchange.stdinEnded();
            }
            case CLOSING -> {
                exchange.begin(1, false);
                exchange.paramsEnded();
                exchange.stdinEnded();
                exchange.written();
            }
        }
        assertEquals(phase, exchange.phase());
        return exchange;
    }

    static Stream<Arguments> transitions() {
        Stream.Builder<Arguments> rows = Stream.builder();
        record T(String name, Predicate<StatusExchange> call) { }
        T[] calls = {new T("begin", e -> e.begin(7, true)), new T("paramsEnded", StatusExchange::paramsEnded),
            new T("stdinEnded", StatusExchange::stdinEnded), new T("refuse", StatusExchange::refuse),
            new T("written", StatusExchange::written)};
        for (boolean keep : new boolean[] {true, false}) {
            for (Phase from : Phase.values()) {
                for (T call : calls) {
                    Phase to = switch (call.name() + " " + from) {
                        case "begin IDLE" -> Phase.PARAMS;
                        case "paramsEnded PARAMS" -> Phase.STDIN;
                        case "stdinEnded STDIN", "refuse PARAMS", "refuse STDIN" -> Phase.ANSWERING;
                        case "written ANSWERING" -> keep ? Phase.IDLE : Phase.CLOSING;
                        default -> null; // not allowed: nothing changes
                    };
                    rows.add(Arguments.of(from, keep, call.name(), call.call(), to));
                }
            }
        }
        return rows.build();
    }

    @ParameterizedTest(name = "{0} (keep {1}) --{2}--> {4}")
    @MethodSource("transitions")
    void eachCallMovesAsTheTableSays(Phase from, boolean keep, String name, Predicate<StatusExchange> call, Phase to) {
        StatusExchange exchange = in(from, keep);
        assertEquals(to != null, call.test(exchange));
        assertEquals(to != null ? to : from, exchange.phase());
    }

    @ParameterizedTest(name = "refused in {0}: closes even with keep-alive")
    @MethodSource("refusable")
    void aRefusedRequestClosesTheConnectionOnceWritten(Phase from) {
        StatusExchange exchange = in(from, true);
        exchange.refuse();
        exchange.written();
        assertEquals(Phase.CLOSING, exchange.phase());
    }

    static Stream<Phase> refusable() {
        return Stream.of(Phase.PARAMS, Phase.STDIN);
    }
}
