package io.jfcgi.servlet;

import io.jfcgi.responder.FastCgiServer;
import jakarta.servlet.ServletException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The runner jar's {@code main}: {@code java -jar jfcgi-servlet-runner.jar [--context-path /ctx] [responder flags]
 * app.war} serves a WAR (a file or an exploded directory) as an app.jar serves its handler: on the socket of fd 0
 * (jspawn-fcgi) or {@code --listen}, with every responder flag. The WAR is the first argument or the last one.
 * Exit status as an app.jar's: 2 for a bad command line, 1 when the application cannot be deployed or started.
 */
public final class WarRunner {

    static final String USAGE = "usage: java -jar jfcgi-servlet-runner.jar [--context-path /ctx] [options] app.war\n"
            + "  app.war                   a .war file or an exploded WAR directory (first or last argument)\n"
            + "  --context-path PATH       where the application is: /name, or / for the root (default /)\n"
            + "  --session-dir DIR         keep sessions in DIR, one file each, shared by every process given it\n"
            + "                            (default: in this process's memory)";

    /** The command line split into what the runner takes and what the responder takes. */
    record Arguments(Path war, String contextPath, Path sessionDirectory, String[] serverArgs) {

        /** @throws IllegalArgumentException for a missing WAR or a bad --context-path, with what to do */
        static Arguments parse(String[] args) {
            List<String> rest = new ArrayList<>();
            String contextPath = "";
            Path sessionDirectory = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--session-dir")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--session-dir needs a directory, e.g. /var/lib/app");
                    }
                    sessionDirectory = Path.of(args[++i]);
                } else if (arg.startsWith("--session-dir=")) {
                    sessionDirectory = Path.of(arg.substring("--session-dir=".length()));
                } else if (arg.equals("--context-path")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--context-path needs a value, e.g. /app");
                    }
                    contextPath = ContextPaths.normalize(args[++i]);
                } else if (arg.startsWith("--context-path=")) {
                    contextPath = ContextPaths.normalize(arg.substring("--context-path=".length()));
                } else {
                    rest.add(arg);
                }
            }
            String war;
            if (!rest.isEmpty() && !rest.get(0).startsWith("-")) {
                war = rest.remove(0);
            } else if (!rest.isEmpty() && !rest.get(rest.size() - 1).startsWith("-") && !takesValue(rest)) {
                war = rest.remove(rest.size() - 1);
            } else {
                throw new IllegalArgumentException("no WAR given: name a .war file or an exploded WAR directory\n"
                        + USAGE);
            }
            return new Arguments(Path.of(war), contextPath, sessionDirectory, rest.toArray(new String[0]));
        }

        /** Whether the last argument is the value of the flag before it ({@code --listen ADDR}), not a WAR. */
        private static boolean takesValue(List<String> rest) {
            if (rest.size() < 2) {
                return false;
            }
            String before = rest.get(rest.size() - 2);
            return before.startsWith("--") && !before.contains("=") && !SWITCHES.contains(before);
        }
    }

    /** The responder's flags that take no value; every other flag does. */
    private static final List<String> SWITCHES = List.of("--access-log", "--virtual-threads", "--help");

    private WarRunner() {
    }

    /**
     * Deploys the WAR and serves it until SIGTERM; exits the JVM.
     *
     * @param args the command line: the WAR, {@code --context-path}, and the responder's flags
     */
    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            FastCgiServer.run(new String[] {"--help"}, (request, response) -> { });
            return;
        }
        Arguments arguments;
        try {
            arguments = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!java.nio.file.Files.exists(arguments.war())) {
            System.err.println("error: no such WAR: " + arguments.war() + " (give a .war file or an exploded WAR "
                    + "directory)");
            System.exit(2);
            return;
        }
        WarDeployment deployment = deploy(arguments, System.err);
        if (deployment == null) {
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(deployment::close, "jfcgi-servlet-stop"));
        FastCgiServer.run(arguments.serverArgs(), deployment.bridge());
    }

    /** Deploys, or says in one line on {@code err} why not and returns null. */
    static WarDeployment deploy(Arguments arguments, PrintStream err) {
        try {
            SessionStore store = arguments.sessionDirectory() == null ? null
                    : SessionStore.directory(arguments.sessionDirectory());
            return WarDeployment.deploy(arguments.war(), arguments.contextPath(), WarRunner.class.getClassLoader(),
                    store);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
        } catch (IOException | ServletException | RuntimeException | LinkageError e) {
            err.println("error: " + arguments.war() + " failed to start: " + Failures.describe(e));
        }
        return null;
    }
}
