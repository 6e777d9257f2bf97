package io.jfcgi.spawner.upgrade;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * How a launcher starts its successor at SIGUSR2: the command it was started with, run again so that it is
 * resolved from disk anew (a new jar, a new bin/jspawn-fcgi), in the directory it was started from (relative paths
 * mean the same), with the same options. Through bin/jspawn-fcgi, which names itself in {@value #LAUNCHER_VARIABLE},
 * the script runs again (its JVM flags and class-data archive may have changed with the jar); else the JVM's own
 * command line. The successor finds the listening socket on fd {@value #LISTEN_FD} ({@value #LISTEN_FD_VARIABLE})
 * and says how its start went on fd {@value #READY_FD}, as a daemon tells the command that started it.
 *
 * @param argv the program and its arguments, for posix_spawnp
 * @param environment the successor's whole environment
 */
public record SuccessorCommand(List<String> argv, Map<String, String> environment) {

    /** Set by bin/jspawn-fcgi to its own path (symlinks not resolved, so that a moved link picks the new one). */
    public static final String LAUNCHER_VARIABLE = "JSPAWN_FCGI_LAUNCHER";
    /** Names the fd of the listening socket a successor inherits instead of binding. */
    public static final String LISTEN_FD_VARIABLE = "JSPAWN_FCGI_LISTEN_FD";
    static final int READY_FD = 3;
    static final int LISTEN_FD = 4;
    /** systemd's socket activation names fds of the old process: the successor's socket comes by our variable. */
    private static final List<String> SOCKET_ACTIVATION = List.of("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES");

    public SuccessorCommand {
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
    }

    /**
     * @param commandLine this JVM's command line (/proc/self/cmdline)
     * @param environment this launcher's environment
     * @param directory the directory this launcher was started from (before -d)
     * @param readyVariable the variable that names the fd on which a launcher reports its start
     */
    public static SuccessorCommand of(List<String> commandLine, Map<String, String> environment, String directory,
            String readyVariable) {
        List<String> launch = new ArrayList<>(commandLine);
        String script = environment.get(LAUNCHER_VARIABLE);
        int jar = commandLine.indexOf("-jar");
        if (script != null && !script.isEmpty() && jar >= 0 && jar + 2 <= commandLine.size()) {
            launch = new ArrayList<>(List.of(script));
            launch.addAll(commandLine.subList(jar + 2, commandLine.size()));
        }
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", directory));
        argv.addAll(launch);
        Map<String, String> successor = new HashMap<>(environment);
        SOCKET_ACTIVATION.forEach(successor::remove);
        successor.put(readyVariable, Integer.toString(READY_FD));
        successor.put(LISTEN_FD_VARIABLE, Integer.toString(LISTEN_FD));
        return new SuccessorCommand(argv, successor);
    }

    /** In a successor: the fd of the socket its predecessor handed over; empty for a launcher that binds. */
    public static OptionalInt inheritedListenFd(Map<String, String> environment) {
        String value = environment.get(LISTEN_FD_VARIABLE);
        if (value == null || !value.matches("[0-9]{1,4}")) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(value));
    }
}
