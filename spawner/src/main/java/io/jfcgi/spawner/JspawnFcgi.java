package io.jfcgi.spawner;

import io.jfcgi.spawner.os.CallsAhead;
import io.jfcgi.spawner.os.Posix;
import io.jfcgi.spawner.os.WholeLineOutput;
import io.jfcgi.spawner.pool.StartupListener;
import io.jfcgi.spawner.systemd.NotifyingListener;
import io.jfcgi.spawner.systemd.SystemdNotify;
import java.io.IOException;
import java.util.Arrays;
import org.apache.logging.log4j.LogManager;

/**
 * {@code jspawn-fcgi}: the command. {@code jspawn-fcgi [options] -- program args…} launches (see --help);
 * {@code jspawn-fcgi status -P pidfile} reports. Every setup error is one line on stderr and exit 255, as
 * spawn-fcgi; a pool that gives up exits with its last child's status.
 */
public final class JspawnFcgi {

    private JspawnFcgi() {
    }

    public static void main(String[] args) {
        WholeLineOutput.install(); // before any logger takes System.err
        // jnr-ffi's generated call stubs cost ~90 ms of every launch; the launcher makes a few native calls per
        // child, where reflective invocation is fast enough. Set before jnr loads; an explicit -D still wins.
        if (System.getProperty("jnr.ffi.asm.enabled") == null) {
            System.setProperty("jnr.ffi.asm.enabled", "false");
        }
        // Binding libc (~140 ms) and then the calls up to the first spawn, on a second core while this one parses
        // the command line, starts logging and plans the children: the launch reaches its first spawn that much sooner.
        Thread warmUp = new Thread(JspawnFcgi::warmUpLibc, "libc-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        int code = run(args);
        LogManager.shutdown();
        System.exit(code);
    }

    /**
     * Binds libc and the launch's C calls ahead of need, quietly: a launch that ends at once (a usage error) exits
     * while this may still be binding, and jffi then fails on the JVM's shutdown, which is no news for the user. A
     * binding that fails for good fails the launch again at its first native call.
     */
    private static void warmUpLibc() {
        try {
            CallsAhead.bind(Posix.get());
        } catch (Throwable e) {
            // see above
        }
    }

    static int run(String[] args) {
        if (args.length == 0) {
            System.err.println(LaunchCommandLine.help());
            return UsageException.EXIT_CODE; // as spawn-fcgi with no arguments
        }
        if (args[0].equals("status")) {
            return StatusCommand.run(Arrays.copyOfRange(args, 1, args.length));
        }
        LaunchCommandLine.Request request;
        try {
            request = LaunchCommandLine.parse(args);
        } catch (UsageException e) {
            System.err.println("jspawn-fcgi: " + e.getMessage());
            if (e.synopsis() != null) {
                System.err.println(e.synopsis());
            }
            return UsageException.EXIT_CODE;
        }
        if (request instanceof LaunchCommandLine.Help) {
            System.out.println(LaunchCommandLine.help());
            return 0;
        }
        if (request instanceof LaunchCommandLine.Version) {
            String version = JspawnFcgi.class.getPackage().getImplementationVersion();
            System.out.println("jspawn-fcgi " + (version == null ? "(development build)" : version));
            return 0;
        }
        LaunchOptions options = ((LaunchCommandLine.Launch) request).options();
        boolean daemon = System.getenv(Daemon.READY_FD_VARIABLE) != null;
        if (!options.foreground() && !daemon) {
            return Daemon.detach(options);
        }
        StartupListener startup;
        try {
            startup = daemon ? Daemon.reporter(Posix.get()) : new StartupListener() {
                @Override
                public void serving(int launcherPid) {
                }

                @Override
                public void failed(String message, int exitCode) {
                }
            };
        } catch (IOException e) {
            System.err.println("jspawn-fcgi: " + e.getMessage());
            return 1;
        }
        return new Launcher(options, NotifyingListener.around(startup, SystemdNotify.from(System.getenv()))).run();
    }
}
