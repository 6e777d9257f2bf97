package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * -u -g -U -G as spawn-fcgi has them, run as root (CI is root) with Debian's nobody/nogroup, and the same options
 * refused in one line when the launcher is not root (setpriv drops to nobody for those).
 */
class PrivilegesIT {

    private static final int NOBODY = 65534;
    private static final int NOGROUP = 65534;

    @TempDir
    Path dir;

    @BeforeAll
    static void runAsRoot() {
        io.jfcgi.fixture.e2e.RequiredTool.requireRoot("-u/-g/-U/-G");
    }

    @Test
    void childrenRunAsTheUserAndGroupAndTheSocketBelongsToTheSocketOwner() throws Exception {
        Path socket = dir.resolve("app.sock");
        try (Launch launch = Launch.of(dir, "-n", "-s", socket.toString(), "-U", "nobody", "-G", "nogroup", "-u",
                "nobody", "-g", "nogroup", "-F", "2", "--", "sleep", "300")) {
            Launch.await(Duration.ofSeconds(20), "two children running sleep",
                    () -> launch.children().size() == 2 && launch.children().stream().allMatch(
                            pid -> status(pid, "Name:").equals("sleep")));
            for (int child : launch.children()) {
                assertEquals(ids(NOBODY), status(child, "Uid:"), "child " + child + " uid");
                assertEquals(ids(NOGROUP), status(child, "Gid:"), "child " + child + " gid");
                assertEquals(Integer.toString(NOGROUP), status(child, "Groups:"), "supplementary groups");
            }
            assertEquals(ids(NOBODY), status(launch.pid(), "Uid:"), "the launcher dropped root as well");
            assertEquals(NOBODY, Files.getAttribute(socket, "unix:uid", LinkOption.NOFOLLOW_LINKS));
            assertEquals(NOGROUP, Files.getAttribute(socket, "unix:gid", LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void childrenRunInsideTheChrootAsTheUser() throws Exception {
        Path unshare = io.jfcgi.fixture.e2e.RequiredTool.require("/usr/bin/unshare", "util-linux");
        Path jail = jailWithSleep();
        Files.createDirectories(jail.resolve("proc"));
        // A mount namespace of the launcher's own, so the bind mount of /proc goes with it.
        try (Launch launch = Launch.shell(dir, "exec " + unshare + " --mount sh -c 'mount --bind /proc " + jail
                + "/proc && exec \"$JSPAWN\" -n -a 127.0.0.1 -p 0 -c " + jail
                + " -u nobody -g nogroup -- /bin/sleep 300'")) {
            Launch.await(Duration.ofSeconds(20), "a child running sleep", () -> launch.children().stream()
                    .anyMatch(pid -> status(pid, "Name:").equals("sleep")));
            int child = launch.children().get(0);
            assertEquals(jail.toRealPath().toString(), Files.readSymbolicLink(Path.of("/proc/" + child + "/root"))
                    .toString(), "the child's root is the chroot");
            assertEquals(ids(NOBODY), status(child, "Uid:"));
            // The child may exec sleep before the launcher's line about it is written: waited for, not assumed.
            Launch.await(Duration.ofSeconds(20), "the child's start in the log",
                    () -> launch.outputText().contains("is ready after") || launch.outputText().contains("started"));
            assertTrue(!launch.outputText().contains("Exception"), launch.outputText());
        }
    }

    @Test
    void aChrootWithoutProcIsRefusedWithTheFix() throws Exception {
        Path jail = jailWithSleep();
        try (Launch launch = Launch.of(dir, "-n", "-a", "127.0.0.1", "-p", "0", "-c",
                jail.toString(), "--", "/bin/sleep", "300")) {
            assertEquals(255, launch.awaitExit(Duration.ofSeconds(20)), launch.output());
            assertTrue(launch.output().contains("needs /proc inside the chroot to supervise its children; mount it "
                    + "first (mount --bind /proc " + jail.resolve("proc")), launch.output());
        }
    }

    /** A directory holding /bin/sleep and the libraries it loads: enough to run it after chroot. */
    private Path jailWithSleep() throws IOException, InterruptedException {
        Path jail = Files.createDirectories(dir.resolve("jail"));
        Path sleep = Path.of("/bin/sleep").toRealPath();
        Files.createDirectories(jail.resolve("bin"));
        Files.copy(sleep, jail.resolve("bin/sleep"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Process ldd = new ProcessBuilder("ldd", sleep.toString()).redirectErrorStream(true).start();
        String libraries = new String(ldd.getInputStream().readAllBytes());
        ldd.waitFor();
        java.util.regex.Matcher path = java.util.regex.Pattern.compile("(/\\S+)").matcher(libraries);
        while (path.find()) {
            Path library = Path.of(path.group(1));
            Path copy = jail.resolve(library.toString().substring(1));
            Files.createDirectories(copy.getParent());
            Files.copy(library.toRealPath(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return jail;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-u root                 | refusing to run children as uid 0 (-u)",
        "-u nobody -g root       | refusing to run children with gid 0",
        "-u no-such-user-x       | there is no user 'no-such-user-x'",
        "-u nobody -g no-such-gr | there is no group 'no-such-gr'",
    })
    void unusableUserOrGroupIsRefusedInOneLine(String options, String message) throws Exception {
        try (Launch launch = Launch.shell(dir, "exec \"$JSPAWN\" -n -a 127.0.0.1 -p 0 " + options
                + " -- sleep 300")) {
            assertEquals(255, launch.awaitExit(Duration.ofSeconds(20)), launch.output());
            assertTrue(launch.output().contains(message), launch.output());
            assertTrue(!launch.output().contains("\tat "), launch.output());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-u www-data          | -u needs root: run jspawn-fcgi as root, or drop -u",
        "-g www-data          | -g needs root",
        "-U www-data          | -U needs root",
        "-G www-data          | -G needs root",
        "-c /srv/jail         | -c needs root",
        "-S                   | -S needs root and -c",
    })
    void rootOnlyOptionWithoutRootIsAnErrorNotIgnored(String options, String message) throws Exception {
        try (Launch launch = Launch.shell(dir, "cd / && exec setpriv --reuid=" + NOBODY + " --regid=" + NOGROUP
                + " --clear-groups \"$JSPAWN\" -n -a 127.0.0.1 -p 0 " + options + " -- sleep 300")) {
            assertEquals(255, launch.awaitExit(Duration.ofSeconds(20)), launch.output());
            assertTrue(launch.output().contains(message), launch.output());
        }
    }

    private static String ids(int id) {
        return id + "\t" + id + "\t" + id + "\t" + id;
    }

    private static String status(int pid, String field) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(line -> line.startsWith(field)).map(line -> line.substring(field.length()).trim())
                    .findFirst().orElse("");
        } catch (IOException e) {
            return "";
        }
    }
}
