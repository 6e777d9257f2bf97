package io.jfcgi.spawner.pool;

import java.io.IOException;

/** Starts one child; {@link ChildStarter} with real processes, a fake in tests. Called on the supervisor's thread. */
interface ChildSpawner {

    /**
     * Starts a child in {@code slot} of reload {@code generation}, to be recycled after {@code requestLimit}
     * requests (0 for never), at {@code nowMillis} on the supervisor's clock.
     */
    Child start(int slot, int generation, long requestLimit, long nowMillis) throws IOException;
}
