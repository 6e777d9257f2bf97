package io.jfcgi.spawner.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children's output in the launcher's log stays whole: three children at once, each writing a 1 MiB line in
 * pieces and hundreds of short lines, and a line with a time of its own that gets no second one.
 */
class ChildLogIT {

    private static final int CHILDREN = 3;
    private static final int SHORT_LINES = 500;
    private static final int BIG = 1 << 20;
    private static final Pattern LAUNCHER_LINE =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} jspawn-fcgi [A-Z]+ .*");
    private static final Pattern CHILD_LINE =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} jspawn-fcgi INFO child (\\d+): (.*)");

    @TempDir
    Path dir;

    /**
     * A foreign child (a shell script): half of them write their short lines first, so that big and short lines
     * of different children cross in the launcher; the 1 MiB line goes out in 16 pieces with pauses between.
     */
    private static final String SCRIPT = """
            #!/bin/bash
            big() {
              printf 'big-%s-begin ' $$
              for i in $(seq 16); do head -c 65536 /dev/zero | tr '\\0' 'x'; sleep 0.02; done
              printf ' big-%s-end\\n' $$
            }
            shorts() { for i in $(seq %d); do echo "short-$$-$i"; done; }
            if (( $$ %% 2 )); then big; shorts; else shorts; big; fi
            echo "2026-12-03T16:10:00,123 INFO  [main] App: own time $$"
            exec sleep 600
            """;

    @Test
    void longPiecewiseAndInterleavedLinesReachTheLogWhole() throws Exception {
        Path child = dir.resolve("child.sh");
        Files.writeString(child, SCRIPT.replace("%d", Integer.toString(SHORT_LINES)).replace("%%", "%"));
        Files.setPosixFilePermissions(child, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = dir.resolve("app.log");
        try (Launch launch = Launch.of(dir, "-n", "-s", dir.resolve("app.sock").toString(), "-F",
                Integer.toString(CHILDREN), "--log", log.toString(), "--", child.toString())) {
            Launch.await(Duration.ofSeconds(60), "every child's last line in the log",
                    () -> Launch.read(log).lines().filter(line -> line.contains("App: own time")).count() == CHILDREN);
            List<String> lines = Files.readAllLines(log);
            Set<String> pids = new TreeSet<>();
            for (String line : lines) {
                Matcher big = Pattern.compile("big-(\\d+)-begin").matcher(line.length() > 200
                        ? line.substring(0, 200) : line);
                if (big.find()) {
                    String pid = big.group(1);
                    pids.add(pid);
                    Matcher prefixed = CHILD_LINE.matcher(line.substring(0, 200));
                    assertTrue(prefixed.find() && prefixed.group(1).equals(pid), line.substring(0, 200));
                    assertTrue(line.endsWith(" big-" + pid + "-end"), "the 1 MiB line ends whole");
                    assertEquals(BIG, line.chars().filter(c -> c == 'x').count(), "the 1 MiB line is all there");
                }
            }
            assertEquals(CHILDREN, pids.size(), "one 1 MiB line per child: " + pids);
            for (String pid : pids) {
                List<String> shorts = lines.stream().map(CHILD_LINE::matcher).filter(Matcher::matches)
                        .filter(m -> m.group(1).equals(pid) && m.group(2).startsWith("short-"))
                        .map(m -> m.group(2)).toList();
                List<String> expected = java.util.stream.IntStream.rangeClosed(1, SHORT_LINES)
                        .mapToObj(i -> "short-" + pid + "-" + i).toList();
                assertEquals(expected, shorts, "child " + pid + "'s short lines, whole and in order");
                assertTrue(lines.contains("child " + pid + ": 2026-12-03T16:10:00,123 INFO  [main] App: own time "
                        + pid), "a line with its own time gets no second one");
            }
            Map<Boolean, List<String>> wellFormed = lines.stream().collect(Collectors.partitioningBy(
                    line -> LAUNCHER_LINE.matcher(line.length() > 200 ? line.substring(0, 200) : line).matches()
                            || line.startsWith("child ")));
            assertEquals(List.of(), wellFormed.get(false), "no line of the log is a piece of another");
        }
    }
}
