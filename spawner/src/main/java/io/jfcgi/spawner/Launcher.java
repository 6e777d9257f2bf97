package io.jfcgi.spawner;

import io.jfcgi.spawner.os.AddressRange;
import io.jfcgi.spawner.os.ListenSocket;
import io.jfcgi.spawner.os.LogFile;
import io.jfcgi.spawner.os.PidFile;
import io.jfcgi.spawner.os.Posix;
import io.jfcgi.spawner.os.Privileges;
import io.jfcgi.spawner.os.SignalDisposition;
import io.jfcgi.spawner.os.ThreadDumpWatch;
import io.jfcgi.spawner.pool.PoolConfig;
import io.jfcgi.spawner.pool.StartupListener;
import io.jfcgi.spawner.pool.Supervisor;
import io.jfcgi.spawner.systemd.SocketActivation;
import io.jfcgi.spawner.systemd.SystemdNotify;
import io.jfcgi.spawner.upgrade.LauncherUpgrade;
import io.jfcgi.spawner.upgrade.SuccessorCommand;
import io.jfcgi.spawner.status.StatusRoutes;
import io.jfcgi.spawner.status.StatusServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
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
    /** The socket a predecessor handed over (SIGUSR2), empty for a launcher that binds its own. */
    private final OptionalInt inheritedSocket = SuccessorCommand.inheritedListenFd(System.getenv());
    /** Set on the main thread; a successor's is set only once its pool serves. Read by the upgrade thread. */
    private volatile PidFile pidFile;

    Launcher(LaunchOptions options, StartupListener startup) {
        this.options = options;
        this.startup = startup;
    }

    int run() {
        ListenSocket socket = null;
        LauncherUpgrade upgrade = null;
        ArchiveTraining training = null;
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
            if (options.pidFile() != null && inheritedSocket.isEmpty()) {
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
            startup.listening(socket.toString());
            announceClients(socket);
            if (options.workDirectory() != null && posix.libc().chdir(work.toString()) == -1) {
                throw new IOException("cannot change to the directory " + work + " (-d): "
                        + posix.describe(posix.errno()));
            }
            // Under systemd the old launcher, still the main process, names its successor (MAINPID=).
            SystemdNotify notify = SystemdNotify.from(System.getenv());
            upgrade = new LauncherUpgrade(posix, upgradeSettings(), socket, () -> pidFile,
                    Daemon.READY_FD_VARIABLE, notify::mainPid);
            ChildClassDataSharing.Plan sharing = classDataSharing(argv, environment);
            List<String> childArgv = ChildClassDataSharing.withJvmOptions(argv, sharing.jvmOptions());
            if (sharing.needsTraining()) { // before the supervisor's reaper exists: see ArchiveTraining
                training = ArchiveTraining.start(posix, argv, environment, sharing.archive());
            }
            Supervisor supervisor = new Supervisor(posix, poolConfig(socket), socket.fd(), childArgv, environment,
                    upgrade.startup(startup, inheritedSocket.isPresent(), pidFileTakeover()), this::reopenLog);
            if (statusServer != null) {
                statusServer.serve(new StatusRoutes(options.statusListen().statusPath(),
                        options.statusListen().pingPath(), supervisor.snapshots()));
            }
            forwardSignals(supervisor);
            upgrade.listen(supervisor::handOver);
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
            if (upgrade != null) {
                upgrade.close();
            }
            if (training != null) {
                training.close();
            }
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

    /** For .jar and .war children, decided as the children's user (after -u), in the directory they will see. */
    private ChildClassDataSharing.Plan classDataSharing(List<String> argv, Map<String, String> environment) {
        if (!options.isJvmResponder()) {
            return ChildClassDataSharing.Plan.none("not a JVM child");
        }
        ChildClassDataSharing.Plan plan = ChildClassDataSharing.plan(options.classDataSharing(), argv,
                Path.of(options.program().get(0)).getFileName().toString(), environment, posix.libc().geteuid());
        LOG.info(plan.description());
        return plan;
    }

    private ListenSocket bind(int uid, int gid) throws IOException {
        if (inheritedSocket.isPresent()) { // a predecessor's (SIGUSR2), whatever it had
            return ListenSocket.inherited(posix, inheritedSocket.getAsInt(), options.listenDescription(),
                    options.socketPath());
        }
        SocketActivation activation = options.activation();
        if (activation != null) {
            return ListenSocket.activated(posix, activation.fd(), activation.describe(), options.admittedClients());
        }
        if (options.socketPath() != null) {
            return ListenSocket.unix(posix, options.socketPath(), options.backlog(), options.socketMode(), uid, gid);
        }
        return ListenSocket.tcp(posix, options.address(), options.port(), options.backlog(),
                options.admittedClients());
    }

    /** A successor's: the pidfile is its own once its pool serves; null without -P. */
    private LauncherUpgrade.PidFileTakeover pidFileTakeover() {
        if (options.pidFile() == null) {
            return null;
        }
        return () -> pidFile = PidFile.takeOver(posix, options.pidFile(), posix.libc().getpid());
    }

    private LauncherUpgrade.Settings upgradeSettings() {
        String refusal = options.user() == null && options.chroot() == null ? null
                : "this launcher gave up root for -u or -c, so a new one could not start as it did; restart it "
                        + "instead (jspawn-fcgictl restart)";
        return new LauncherUpgrade.Settings(options.upgradeTimeout(), options.stopTimeout(), !options.foreground(),
                refusal);
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
    private void announceClients(ListenSocket socket) {
        LOG.info("listening on {}; clients: {}", socket, clientsDescription(socket));
        if (isExposed(socket) && options.admittedClients().isEmpty()) {
            LOG.warn("{} is reachable from other hosts and --allow is not set: any host that can connect can run "
                    + "code through the children (php-cgi: SCRIPT_FILENAME, PHP_VALUE). Name the web servers with "
                    + "--allow ADDR[,ADDR...], or drop -a to listen on 127.0.0.1 only",
                    options.activation() == null ? socket : options.listenDescription()); // socket: -p 0's port
        }
    }

    /** As the options say, or, for a socket systemd passed, as that socket is bound. */
    private boolean isExposed(ListenSocket socket) {
        if (options.activation() == null) {
            return options.isExposed();
        }
        return socket.tcpAddress() != null && !socket.tcpAddress().getAddress().isLoopbackAddress();
    }

    private String clientsDescription(ListenSocket socket) {
        if (options.activation() == null || !options.admittedClients().isEmpty()) {
            return options.clientsDescription();
        }
        return socket.tcpAddress() == null ? "local users with access to the socket file"
                : isExposed(socket) ? "any host (no --allow)" : "this host only (loopback)";
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
        // systemd's variables are the launcher's: a child must neither notify for the service nor look for fd 3.
        environment.remove(SystemdNotify.SOCKET_VARIABLE);
        SocketActivation.VARIABLES.forEach(environment::remove);
        environment.remove(SuccessorCommand.LISTEN_FD_VARIABLE);
        if (options.phpChildren() != null) {
            environment.put("PHP_FCGI_CHILDREN", options.phpChildren().toString());
        }
        if (options.isJvmResponder()) {
            environment.putAll(options.oversight().environment());
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
        if (!options.isJvmResponder() && !options.oversight().isEmpty()) {
            LOG.warn("{} is not a jfcgi responder: --slowlog, --max-queue-wait and --access-log are done inside a "
                    + "JVM child and do not apply to it (php-cgi: --request-timeout, and nginx's own access log)",
                    options.program().get(0));
        }
        Path status = options.pidFile() == null ? null
                : options.pidFile().resolveSibling(options.pidFile().getFileName() + ".status");
        return new PoolConfig(Path.of(options.program().get(0)).getFileName().toString(), mode, start,
                options.maxChildren(), options.minSpare(), options.maxSpare(), options.maxRequests(),
                options.maxRequestsJitter(), options.idleTimeout(), options.stopTimeout(), options.requestTimeout(),
                options.heartbeatTimeout(),
                options.maxMemoryMiB(), options.maxBootFailures(), options.isJvmResponder(), socket.toString(),
                socket.tcpAddress() != null ? socket.tcpAddress().getPort() : 0,
                options.backlog(), status, clientsDescription(socket), options.oversight().slowlog() != null);
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

    private void forwardSignals(Supervisor supervisor) {
        for (String name : SIGNALS) {
            try {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                try {
                    if (SignalDisposition.restoreIfIgnored(posix, signal.getNumber())) {
                        LOG.debug("SIG{} was ignored when jspawn-fcgi started (nohup, a background job); handled "
                                + "now", name);
                    }
                } catch (Posix.NativeException e) {
                    LOG.warn("cannot tell whether SIG{} is ignored ({}); if it is, it stays so", name, e.getMessage());
                }
                sun.misc.Signal.handle(signal, received -> supervisor.signal(name));
            } catch (IllegalArgumentException e) {
                LOG.warn("cannot handle SIG{} ({}); it keeps its default action", name, e.getMessage());
            }
        }
    }
}
