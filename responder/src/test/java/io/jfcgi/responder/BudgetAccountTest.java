package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A request's PARAMS bytes against the budget: charged as they come, all given back once when it ends. */
class BudgetAccountTest {

    private final MemoryBudget budget = new MemoryBudget(1000);
    private final BudgetAccount account = new BudgetAccount(budget);

    @Test
    void closingGivesBackEverythingCharged() {
        assertTrue(account.charge(300));
        assertTrue(account.charge(200));
        assertEquals(500, budget.used());
        account.close();
        assertEquals(0, budget.used());
    }

    @Test
    void aChargeThatPassesTheBudgetIsRefusedAndHoldsNothing() {
        assertTrue(account.charge(900));
        assertFalse(account.charge(101));
        assertEquals(900, account.held());
        account.close();
        assertEquals(0, budget.used());
    }

    @Test
    void aChargeAfterTheCloseIsRefusedAndHoldsNothing() {
        account.close();
        assertFalse(account.charge(10));
        assertEquals(0, budget.used());
        assertEquals(0, budget.refusals()); // not the budget's refusal: the request had ended
    }

    @Test
    void closingTwiceGivesBackOnce() {
        BudgetAccount other = new BudgetAccount(budget);
        other.charge(100);
        account.charge(50);
        account.close();
        account.close();
        assertEquals(100, budget.used());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aChargeRacingTheCloseLeavesNothingBehind() throws Exception {
        for (int round = 0; round < 2000; round++) {
            BudgetAccount racing = new BudgetAccount(budget);
            CyclicBarrier both = new CyclicBarrier(2);
            Thread charger = new Thread(() -> {
                await(both);
                for (int i = 0; i < 10; i++) {
                    racing.charge(10);
                }
            });
            charger.start();
            await(both);
            racing.close();
            charger.join();
            assertEquals(0, budget.used(), "round " + round);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
