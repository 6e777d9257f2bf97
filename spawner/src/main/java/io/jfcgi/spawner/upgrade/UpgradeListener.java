package io.jfcgi.spawner.upgrade;

/**
 * Told when an upgrade moves the launcher's work to another process, for a service manager that tracks the main
 * pid: under systemd ({@code Type=notify}), the old launcher sends {@code MAINPID=pid} from here, before it exits,
 * which {@code NotifyAccess=main} accepts because the old one is still the main process.
 */
@FunctionalInterface
public interface UpgradeListener {

    /** Nobody to tell: outside a service manager. */
    UpgradeListener NONE = pid -> {
    };

    /**
     * The successor with {@code pid} serves and holds the pidfile; this launcher now retires its children and
     * exits. Called once, on the upgrade thread, before the first child is retired.
     */
    void mainPidChanged(int pid);
}
