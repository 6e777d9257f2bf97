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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Children's output in the launcher's log stays whole: three children at once, each writing a 1 MiB line in
 * pieces (logged as 64 KiB pieces marked cut and continued, each whole) and hundreds of short lines, and a line
 * with a time of its own that gets no second one; a child writing 64 MiB with no newline leaves the launcher up.
 */
class ChildLogIT {

    private static final int CHILDREN = 3;
    private static final int SHORT_LINES = 500;
    private static final int BIG = 1 << 20;
    /** LineAssembler's limit and marks (package-private there). */
    private static final int LIMIT = 64 * 1024;
    private static final String CUT = " [cut]";
    private static final String CONTINUED = "[continued] ";
    private static final int ENDLESS = 64 << 20;
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
            Map<String, StringBuilder> bigs = new TreeMap<>(); // each child's 1 MiB line, put back together
            for (String line : lines) {
                Matcher prefixed = CHILD_LINE.matcher(line.length() > 200 ? line.substring(0, 200) : line);
                if (!prefixed.find()) {
                    continue;
                }
                String pid = prefixed.group(1);
                String text = line.substring(line.indexOf(": ", line.indexOf("child " + pid)) + 2);
                if (text.startsWith("big-" + pid + "-begin")) {
                    bigs.put(pid, new StringBuilder(text));
                } else if (text.startsWith(CONTINUED)) {
                    StringBuilder big = bigs.get(pid);
                    assertTrue(big != null && big.toString().endsWith(CUT), "a continued piece follows a cut one");
                    big.setLength(big.length() - CUT.length());
                    big.append(text, CONTINUED.length(), text.length());
                }
            }
            Set<String> pids = new TreeSet<>(bigs.keySet());
            for (Map.Entry<String, StringBuilder> big : bigs.entrySet()) {
                String whole = big.getValue().toString();
                assertTrue(whole.endsWith(" big-" + big.getKey() + "-end"), "the 1 MiB line ends whole");
                assertEquals(BIG, whole.chars().filter(c -> c == 'x').count(), "the 1 MiB line is all there");
            }
            assertTrue(lines.stream().allMatch(line -> line.length() < LIMIT + 200), "no piece is over the limit");
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

    /** 64 MiB with no newline (the launcher's heap is 64 MiB), then a line: pieces of the limit, then the line. */
    @Test
    void aChildWritingWithoutNewlineForeverIsLoggedInCutPiecesAndTheLauncherStaysUp() throws Exception {
        Path child = dir.resolve("endless.sh");
        Files.writeString(child, """
                #!/bin/bash
                head -c %d /dev/zero | tr '\\0' x
                echo
                echo "still-here-$$"
                exec sleep 600
                """.formatted(ENDLESS));
        Files.setPosixFilePermissions(child, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = dir.resolve("endless.log");
        try (Launch launch = Launch.of(dir, "-n", "-s", dir.resolve("endless.sock").toString(), "-F", "1",
                "--log", log.toString(), "--", child.toString())) {
            Launch.await(Duration.ofSeconds(120), "the line after the endless one in the log",
                    () -> logLines(log, line -> line.contains(": still-here-")) == 1);
            assertTrue(launch.process.isAlive(), "the launcher is up");
            assertEquals(ENDLESS / LIMIT - 2, logLines(log, line -> line.endsWith("x" + CUT)
                    && line.contains(": " + CONTINUED + "x")), "the continued pieces, each marked cut");
            assertEquals(1, logLines(log, line -> line.matches(".* child \\d+: x+ \\[cut]")), "the first piece");
            assertEquals(1, logLines(log, line -> line.matches(".* child \\d+: \\[continued] x+")), "the last piece");
            assertEquals(0, logLines(log, line -> line.contains("OutOfMemoryError")), "no OutOfMemoryError");
        }
    }

    /** Lines of {@code file} that match, read as a stream (the file holds 64 MiB). */
    private static long logLines(Path file, java.util.function.Predicate<String> which) {
        try (java.util.stream.Stream<String> lines = Files.lines(file)) {
            return lines.filter(which).count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }
}
