package io.jfcgi.spawner;

import io.jfcgi.spawner.os.Pipe;
import io.jfcgi.spawner.os.Posix;
import io.jfcgi.spawner.os.ProcessSpawner;
import io.jfcgi.spawner.pool.StartupListener;
import io.jfcgi.spawner.systemd.SystemdNotify;
import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Daemon mode without fork: the command starts itself again in a new session with a pipe on fd 3 (named by
 * {@value #READY_FD_VARIABLE}), and returns when the new launcher says its children serve, with 0, or that it
 * failed, with its message and exit code. The daemon is the supervisor, so its pid is the one in the pidfile.
 */
final class Daemon {

    static final String READY_FD_VARIABLE = "JSPAWN_FCGI_DAEMON_FD";
    private static final int READY_FD = 3;

    private Daemon() {
    }

    /** In the command the operator ran: starts the daemon and waits for its word. */
    static int detach(LaunchOptions options) {
        Posix posix = Posix.get();
        try {
            List<String> argv = Arrays.asList(Files.readString(Path.of("/proc/self/cmdline")).split("\0"));
            Map<String, String> environment = new HashMap<>(System.getenv());
            environment.put(READY_FD_VARIABLE, Integer.toString(READY_FD));
            Pipe ready = Pipe.open(posix);
            int pid;
            BufferedReader answer;
            try {
                pid = new ProcessSpawner(posix).spawn(argv, environment, new int[] {-1, -1, -1, ready.writeFd()},
                        ProcessSpawner.Detach.NEW_SESSION);
                answer = new BufferedReader(new InputStreamReader(ready.takeReader(posix), StandardCharsets.UTF_8));
            } finally {
                posix.closeQuietly(ready.writeFd());
            }
            // Under systemd (Type=notify) the daemon is the service from now on; this command is about to exit.
            SystemdNotify.from(System.getenv()).mainPid(pid);
            String line = answer.readLine();
            if (line != null && line.startsWith("serving")) {
                String[] words = line.split(" ", 3); // serving PID WHERE: WHERE names the port that -p 0 got
                System.out.println("jspawn-fcgi: serving " + (words.length > 2 ? words[2] : options.listenDescription())
                        + "; supervisor pid " + pid
                        + (options.logFile() != null ? "; log " + options.logFile()
                                : "; no --log, so its messages and the children's output are discarded"));
                return 0;
            }
            if (line != null && line.startsWith("failed ")) {
                String[] parts = line.split(" ", 3);
                System.err.println("jspawn-fcgi: " + (parts.length > 2 ? parts[2] : "failed"));
                return Integer.parseInt(parts[1]);
            }
            System.err.println("jspawn-fcgi: the launcher (pid " + pid + ") exited while starting; run it with -n "
                    + "or --log FILE to see why");
            return 1;
        } catch (IOException | RuntimeException e) {
            System.err.println("jspawn-fcgi: cannot start the daemon: " + e.getMessage());
            return 1;
        }
    }

    /** In the daemon: tells the waiting command how the start went, once, then closes the pipe. */
    static StartupListener reporter(Posix posix) throws IOException {
        OutputStream out = new FileOutputStream("/proc/self/fd/" + READY_FD);
        posix.closeQuietly(READY_FD);
        return new StartupListener() {
            private volatile String where;

            @Override
            public void listening(String where) {
                this.where = where;
            }

            @Override
            public void serving(int launcherPid) {
                send("serving " + launcherPid + (where != null ? " " + where : ""));
            }

            @Override
            public void failed(String message, int exitCode) {
                send("failed " + exitCode + " " + message.replace('\n', ' '));
            }

            private void send(String line) {
                try (out) {
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // The command that waited has gone: nobody to tell.
                }
            }
        };
    }
}
