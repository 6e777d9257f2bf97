package io.jfcgi.responder;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The close decision after a connection's last request, row by row of its table. */
class AfterRequestTest {

    @ParameterizedTest(name = "keep-conn {0}, stopping {1}, input all read {2}: {3}")
    @CsvSource({
        "true,  false, true,  STAY_OPEN",
        "true,  false, false, STAY_OPEN",
        "false, false, true,  CLOSE",
        "false, true,  true,  CLOSE",
        "false, false, false, LINGER",
        "false, true,  false, LINGER",
        "true,  true,  true,  LINGER",
        "true,  true,  false, LINGER",
    })
    void aConnectionActsOnItsLastRequestsFlagsAsTheTableSays(boolean keepConn, boolean stopping, boolean inputWhole,
            AfterRequest expected) {
        assertEquals(expected, AfterRequest.decide(keepConn, stopping, inputWhole));
    }
}
