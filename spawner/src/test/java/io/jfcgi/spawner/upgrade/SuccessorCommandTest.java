package io.jfcgi.spawner.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command and environment a launcher starts its successor with. */
class SuccessorCommandTest {

    private static final List<String> JVM = List.of("/usr/bin/java", "-Xmx64m", "-XX:SharedArchiveFile=/old.jsa",
            "-jar", "/opt/jspawn/lib/jspawn-fcgi.jar", "-n", "-p", "9000", "--", "app.jar", "-jar");
    private static final List<String> IN_DIRECTORY = List.of("/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"",
            "/srv/app");

    @Test
    void throughTheScriptTheScriptRunsAgainWithTheLauncherArguments() {
        SuccessorCommand command = SuccessorCommand.of(JVM,
                Map.of(SuccessorCommand.LAUNCHER_VARIABLE, "/usr/local/bin/jspawn-fcgi"), "/srv/app", "READY");
        assertEquals(concat(IN_DIRECTORY, List.of("/usr/local/bin/jspawn-fcgi", "-n", "-p", "9000", "--",
                "app.jar", "-jar")), command.argv());
    }

    @Test
    void withoutTheScriptTheJvmCommandLineRunsAgain() {
        assertEquals(concat(IN_DIRECTORY, JVM), SuccessorCommand.of(JVM, Map.of(), "/srv/app", "READY").argv());
    }

    @Test
    void aJvmStartedWithoutDashJarRunsAgainAsItWasEvenWithTheScriptNamed() {
        List<String> classPath = List.of("java", "-cp", "x.jar", "io.jfcgi.spawner.JspawnFcgi", "-p", "9000");
        assertEquals(concat(IN_DIRECTORY, classPath), SuccessorCommand.of(classPath,
                Map.of(SuccessorCommand.LAUNCHER_VARIABLE, "/bin/jspawn-fcgi"), "/srv/app", "READY").argv());
    }

    @Test
    void theSuccessorIsToldItsSocketAndReportFdsAndNotTheOldSocketActivation() {
        Map<String, String> environment = SuccessorCommand.of(JVM, Map.of("PATH", "/bin", "LISTEN_FDS", "1",
                "LISTEN_PID", "42", "LISTEN_FDNAMES", "x", "READY", "3"), "/srv/app", "READY").environment();
        assertEquals(Map.of("PATH", "/bin", "READY", "3", SuccessorCommand.LISTEN_FD_VARIABLE, "4"), environment);
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"4, 4", "17, 17", "'', -1", "four, -1", "-4, -1", "99999, -1"})
    void theInheritedFdIsReadOnlyFromAPlainNumber(String value, int expected) {
        OptionalInt fd = SuccessorCommand.inheritedListenFd(Map.of(SuccessorCommand.LISTEN_FD_VARIABLE, value));
        assertEquals(expected, fd.orElse(-1));
    }

    @Test
    void aLauncherStartedByAnOperatorInheritsNothing() {
        assertFalse(SuccessorCommand.inheritedListenFd(Map.of()).isPresent());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
