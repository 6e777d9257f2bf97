package io.jfcgi.spawner;

import io.jfcgi.spawner.os.AddressRange;
import io.jfcgi.spawner.os.ListenSocket;
import io.jfcgi.spawner.os.LogFile;
import io.jfcgi.spawner.os.PidFile;
import io.jfcgi.spawner.os.Posix;
import io.jfcgi.spawner.os.Privileges;
import io.jfcgi.spawner.os.ThreadDumpWatch;
import io.jfcgi.spawner.pool.PoolConfig;
import io.jfcgi.spawner.pool.StartupListener;
import io.jfcgi.spawner.pool.Supervisor;
import io.jfcgi.spawner.status.StatusRoutes;
import io.jfcgi.spawner.status.StatusServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One launch, in spawn-fcgi's order: pidfile, users, bind (before or inside the chroot), drop privileges, chdir,
 * then the supervisor until it stops. The socket and the pidfile are closed and removed however it ends.
 */
final class Launcher {

    private static final Logger LOG = LogManager.getLogger(Launcher.class);
    /** Handled by the supervisor; QUIT is not here because HotSpot keeps it for thread dumps. */
    private static final List<String> SIGNALS = List.of("TERM", "INT", "HUP", "USR1", "TTIN", "TTOU");

    private final LaunchOptions options;
    private final StartupListener startup;
    private final Posix posix = Posix.get();

    Launcher(LaunchOptions options, StartupListener startup) {
        this.options = options;
        this.startup = startup;
    }

    int run() {
        PidFile pidFile = null;
        ListenSocket socket = null;
        StatusServer statusServer = null;
        try {
            if (options.logFile() != null) {
                LogFile.redirectStdio(posix, options.logFile());
            }
            Privileges privileges = new Privileges(posix);
            checkRootOnly(privileges.isRoot());
            if (options.bindBeforeChroot() && options.chroot() == null) {
                LOG.warn("-S has no effect without -c (it binds the socket before the chroot); ignored");
            }
            Path work = options.workDirectory() != null ? options.workDirectory().toAbsolutePath()
                    : Path.of("").toAbsolutePath();
            Map<String, String> environment = childEnvironment();
            List<String> argv = ProgramCommand.of(options, environment, work);
            if (options.pidFile() != null) {
                pidFile = PidFile.acquire(posix, options.pidFile(), posix.libc().getpid());
            }
            Privileges.User user = options.user() != null ? privileges.user(options.user()) : null;
            int gid = options.group() != null ? privileges.group(options.group()) : -1;
            Privileges.User socketUser = options.socketUser() != null ? privileges.user(options.socketUser()) : user;
            int socketGid = options.socketGroup() != null ? privileges.group(options.socketGroup())
                    : options.socketUser() != null ? socketUser.primaryGid()
                    : gid != -1 ? gid : user != null ? user.primaryGid() : -1;
            int socketUid = socketUser != null ? socketUser.uid() : -1;
            boolean bindFirst = options.chroot() == null || options.bindBeforeChroot();
            if (bindFirst) {
                socket = bind(socketUid, socketGid);
                statusServer = bindStatus(socketUid, socketGid);
            }
            if (user != null) {
                privileges.becomeGroup(user, gid);
            }
            if (options.chroot() != null) {
                privileges.chroot(options.chroot());
            }
            if (!bindFirst) {
                socket = bind(socketUid, socketGid);
                statusServer = bindStatus(socketUid, socketGid);
            }
            if (user != null) {
                privileges.becomeUser(user);
            } else if (privileges.isRoot()) {
                LOG.warn("children run as root: give them an unprivileged user with -u");
            }
            announceClients();
            if (options.workDirectory() != null && posix.libc().chdir(work.toString()) == -1) {
                throw new IOException("cannot change to the directory " + work + " (-d): "
                        + posix.describe(posix.errno()));
            }
            Supervisor supervisor = new Supervisor(posix, poolConfig(socket), socket.fd(), argv, environment,
                    startup, this::reopenLog);
            if (statusServer != null) {
                statusServer.serve(new StatusRoutes(options.statusListen().statusPath(),
                        options.statusListen().pingPath(), supervisor.snapshots()));
            }
            forwardSignals(supervisor);
            ThreadDumpWatch.start(posix, () -> supervisor.signal("QUIT"));
            return supervisor.run();
        } catch (UsageException | IOException e) {
            LOG.error(e.getMessage());
            startup.failed(e.getMessage(), UsageException.EXIT_CODE);
            return UsageException.EXIT_CODE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            if (statusServer != null) {
                statusServer.close();
            }
            if (socket != null) {
                socket.close();
            }
            if (pidFile != null) {
                pidFile.close();
            }
        }
    }

    private ListenSocket bind(int uid, int gid) throws IOException {
        if (options.socketPath() != null) {
            return ListenSocket.unix(posix, options.socketPath(), options.backlog(), options.socketMode(), uid, gid);
        }
        return ListenSocket.tcp(posix, options.address(), options.port(), options.backlog(),
                options.admittedClients());
    }

    /** The launcher's own status listener (--status-listen), bound beside the pool's socket; null without it. */
    private StatusServer bindStatus(int uid, int gid) throws IOException {
        if (options.statusListen() == null) {
            return null;
        }
        if (options.statusListen().isExposed()) {
            LOG.warn("the status listener {} is reachable from other hosts: the page names the pool's children and "
                    + "their requests; bind it to 127.0.0.1 or a unix socket", options.statusListen().describe());
        }
        return StatusServer.bind(options.statusListen(), StatusServer.Limits.DEFAULTS, options.socketMode(), uid,
                gid);
    }

    /** Where the pool listens and who may connect: opening it to other hosts is a visible decision. */
    private void announceClients() {
        LOG.info("listening on {}; clients: {}", options.listenDescription(), options.clientsDescription());
        if (options.isExposed() && options.admittedClients().isEmpty()) {
            LOG.warn("{} is reachable from other hosts and --allow is not set: any host that can connect can run "
                    + "code through the children (php-cgi: SCRIPT_FILENAME, PHP_VALUE). Name the web servers with "
                    + "--allow ADDR[,ADDR...], or drop -a to listen on 127.0.0.1 only", options.listenDescription());
        }
    }

    private void checkRootOnly(boolean root) throws UsageException {
        if (root) {
            return;
        }
        String[][] rootOnly = {{"-u", options.user()}, {"-g", options.group()}, {"-U", options.socketUser()},
                {"-G", options.socketGroup()}, {"-c", options.chroot() == null ? null : options.chroot().toString()}};
        for (String[] option : rootOnly) {
            if (option[1] != null) {
                throw new UsageException(option[0] + " needs root: run jspawn-fcgi as root, or drop " + option[0]
                        + " (the children then run as the calling user)");
            }
        }
        if (options.bindBeforeChroot()) {
            throw new UsageException("-S needs root and -c: drop it");
        }
    }

    private Map<String, String> childEnvironment() {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.remove(Daemon.READY_FD_VARIABLE);
        if (options.phpChildren() != null) {
            environment.put("PHP_FCGI_CHILDREN", options.phpChildren().toString());
        }
        if (!options.admittedClients().isEmpty()) {
            // Every child checks the list too (jfcgi's responder; php-cgi when it binds a socket itself).
            environment.put(LaunchCommandLine.WEB_SERVER_ADDRS, options.admittedClients().stream()
                    .map(AddressRange::toString).collect(Collectors.joining(",")));
        }
        return environment;
    }

    private PoolConfig poolConfig(ListenSocket socket) {
        PoolMode mode = options.poolMode();
        int start = options.startChildren();
        if (mode != PoolMode.STATIC && !options.isJvmResponder()) {
            LOG.info("{} has no status channel: a child blocked in accept on fd 0 (/proc/PID/syscall) counts as "
                    + "idle, and connections waiting in the listen queue as demand", options.program().get(0));
        }
        if (!options.isJvmResponder() && (options.maxRequests() > 0 || !options.requestTimeout().isZero())) {
            LOG.warn("{} has no status channel, so its requests cannot be counted or timed: --max-requests and "
                    + "--request-timeout are not enforced for it (php-cgi: set PHP_FCGI_MAX_REQUESTS instead)",
                    options.program().get(0));
        }
        Path status = options.pidFile() == null ? null
                : options.pidFile().resolveSibling(options.pidFile().getFileName() + ".status");
        return new PoolConfig(Path.of(options.program().get(0)).getFileName().toString(), mode, start,
                options.maxChildren(), options.minSpare(), options.maxSpare(), options.maxRequests(),
                options.maxRequestsJitter(), options.idleTimeout(), options.stopTimeout(), options.requestTimeout(),
                options.heartbeatTimeout(),
                options.maxMemoryMiB(), options.maxBootFailures(), options.isJvmResponder(), socket.toString(), options.port(),
                options.backlog(), status, options.clientsDescription());
    }

    private void reopenLog() {
        if (options.logFile() != null) {
            try {
                LogFile.redirectStdio(posix, options.logFile());
            } catch (IOException e) {
                LOG.error(e.getMessage());
            }
        }
    }

    private static void forwardSignals(Supervisor supervisor) {
        for (String name : SIGNALS) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> supervisor.signal(name));
            } catch (IllegalArgumentException e) {
                LOG.warn("cannot handle SIG{} ({}); it keeps its default action", name, e.getMessage());
            }
        }
    }
}
