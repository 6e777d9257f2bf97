package io.jfcgi.responder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The PARAMS bytes one request holds against the {@link MemoryBudget}: charged record by record as they arrive
 * (the I/O thread), all given back once when the request ends (whichever thread ends it). A charge that races
 * with the end gives its bytes straight back, so no end, however it comes, leaves any behind.
 */
final class BudgetAccount {

    private static final long CLOSED = -1;
    private static final VarHandle HELD;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(BudgetAccount.class, "held", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MemoryBudget budget;
    /** Bytes charged and not given back; {@link #CLOSED} once closed. Not an AtomicLong: one object less a request. */
    @SuppressWarnings("unused") // through HELD
    private volatile long held;

    BudgetAccount(MemoryBudget budget) {
        this.budget = budget;
    }

    /**
     * The I/O thread: charges {@code bytes} to the budget.
     *
     * @return false if the budget refused them, or the account is closed; nothing is held for them then
     */
    boolean charge(long bytes) {
        if (!budget.tryReserve(bytes)) {
            return false;
        }
        long now;
        do {
            now = (long) HELD.getVolatile(this);
            if (now == CLOSED) {
                budget.release(bytes); // the request ended meanwhile
                return false;
            }
        } while (!HELD.compareAndSet(this, now, now + bytes));
        return true;
    }

    /** Any thread, once the request ends: gives everything back; later charges are refused. Idempotent. */
    void close() {
        long was = (long) HELD.getAndSet(this, CLOSED);
        if (was > 0) {
            budget.release(was);
        }
    }

    /** Bytes held now (0 once closed). */
    long held() {
        return Math.max(0, (long) HELD.getVolatile(this));
    }
}
