package io.jfcgi.spawner.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.jfcgi.spawner.upgrade.UpgradeState.Phase;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** UpgradeState walked transition by transition from every phase: each moves from one phase only. */
class UpgradeStateTest {

    private static final List<String> TRANSITIONS = List.of("serving", "begin", "newReady", "handedOver", "failed",
            "recovered");

    /** A fresh state taken to {@code phase} the way a launcher gets there. */
    static UpgradeState in(Phase phase) {
        UpgradeState state = new UpgradeState();
        List<String> path = switch (phase) {
            case BOOTING -> List.of();
            case IDLE -> List.of("serving");
            case STARTING_NEW -> List.of("serving", "begin");
            case HANDING_OVER -> List.of("serving", "begin", "newReady");
            case RETIRING -> List.of("serving", "begin", "newReady", "handedOver");
            case FAILED -> List.of("serving", "begin", "failed");
        };
        path.forEach(transition -> apply(state, transition));
        assertEquals(phase, state.phase());
        return state;
    }

    static boolean apply(UpgradeState state, String transition) {
        return switch (transition) {
            case "serving" -> state.serving();
            case "begin" -> state.begin();
            case "newReady" -> state.newReady();
            case "handedOver" -> state.handedOver();
            case "failed" -> state.failed();
            case "recovered" -> state.recovered();
            default -> throw new IllegalArgumentException(transition);
        };
    }

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @CsvSource({
        // the moves; every other (phase, transition) pair is refused: see the next test
        "BOOTING,      serving,    IDLE",
        "IDLE,         begin,      STARTING_NEW",
        "STARTING_NEW, newReady,   HANDING_OVER",
        "HANDING_OVER, handedOver, RETIRING",
        "STARTING_NEW, failed,     FAILED",
        "FAILED,       recovered,  IDLE",
    })
    void eachTransitionMovesFromItsOnePhase(Phase from, String transition, Phase to) {
        UpgradeState state = in(from);
        assertEquals(true, apply(state, transition));
        assertEquals(to, state.phase());
    }

    @ParameterizedTest(name = "from {0}")
    @EnumSource(Phase.class)
    void everyOtherTransitionIsRefusedAndChangesNothing(Phase from) {
        List<String> moves = List.of("BOOTING serving", "IDLE begin", "STARTING_NEW newReady",
                "HANDING_OVER handedOver", "STARTING_NEW failed", "FAILED recovered");
        for (String transition : TRANSITIONS) {
            if (moves.contains(from + " " + transition)) {
                continue;
            }
            UpgradeState state = in(from);
            assertEquals(false, apply(state, transition), from + " --" + transition + "-->");
            assertEquals(from, state.phase(), from + " --" + transition + "-->");
        }
    }

    @ParameterizedTest(name = "SIGUSR2 in {0}")
    @EnumSource(value = Phase.class, names = "IDLE", mode = EnumSource.Mode.EXCLUDE)
    void aSignalOutsideIdleIsIgnoredWithItsReason(Phase phase) {
        UpgradeState state = in(phase);
        assertEquals(false, state.begin());
        assertNotEquals("no reason", LauncherUpgrade.busy(phase));
    }

    @ParameterizedTest(name = "after {0}")
    @CsvSource({"failed", "newReady"})
    void aLauncherUpgradesAgainOnlyAfterAFailure(String outcome) {
        UpgradeState state = in(Phase.STARTING_NEW);
        apply(state, outcome);
        if (outcome.equals("failed")) {
            state.recovered();
        } else {
            state.handedOver();
        }
        assertEquals(outcome.equals("failed"), state.begin());
    }
}
