package io.jfcgi.spawner.systemd;

import io.jfcgi.spawner.pool.StartupListener;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Passes the pool's life to systemd as sd_notify messages, around the listener the launch already has (the daemon's
 * start-up pipe, or none): READY=1 once the pool serves, RELOADING=1 at SIGHUP and READY=1 again once every child
 * is replaced, STOPPING=1 at a stop, and STATUS= when the load changes (at most once a second: the supervisor's
 * tick). Supervisor thread only.
 */
public final class NotifyingListener implements StartupListener {

    private final StartupListener next;
    private final Consumer<String> notify;
    private final LongSupplier monotonicMicros;
    private String lastStatus;
    /** Why the pool gave up before serving: what the status keeps saying while it stops. */
    private String failure;
    private boolean stopping;

    NotifyingListener(StartupListener next, Consumer<String> notify, LongSupplier monotonicMicros) {
        this.next = next;
        this.notify = notify;
        this.monotonicMicros = monotonicMicros;
    }

    /**
     * {@code next}, told systemd's side too when {@code notify} is enabled. HotSpot's System.nanoTime is
     * CLOCK_MONOTONIC on Linux, the clock MONOTONIC_USEC is in.
     */
    public static StartupListener around(StartupListener next, SystemdNotify notify) {
        return notify.isEnabled() ? new NotifyingListener(next, notify::send, () -> System.nanoTime() / 1000) : next;
    }

    @Override
    public void serving(int launcherPid) {
        next.serving(launcherPid);
        notify.accept(NotifyMessage.ready(launcherPid, lastStatus == null ? "Serving" : lastStatus));
    }

    @Override
    public void failed(String message, int exitCode) {
        next.failed(message, exitCode);
        failure = message;
        notify.accept(NotifyMessage.status("Failed: " + message));
    }

    @Override
    public void reloading() {
        next.reloading();
        if (!stopping) {
            notify.accept(NotifyMessage.reloading(monotonicMicros.getAsLong()));
        }
    }

    @Override
    public void reloaded() {
        next.reloaded();
        if (!stopping) {
            notify.accept(NotifyMessage.reloaded(lastStatus == null ? "Serving" : lastStatus));
        }
    }

    @Override
    public void stopping(String cause) {
        next.stopping(cause);
        if (!stopping) {
            stopping = true;
            notify.accept(NotifyMessage.stopping(failure == null ? cause : cause + ": " + failure));
        }
    }

    @Override
    public void load(int idle, int active, int queue) {
        next.load(idle, active, queue);
        String status = NotifyMessage.load(idle, active, queue);
        if (!stopping && !status.equals(lastStatus)) {
            lastStatus = status;
            notify.accept(NotifyMessage.status(status));
        }
    }
}
