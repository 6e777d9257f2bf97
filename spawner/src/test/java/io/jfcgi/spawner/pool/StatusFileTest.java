package io.jfcgi.spawner.pool;

import static io.jfcgi.spawner.pool.PoolHarness.exitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jfcgi.spawner.PoolMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PIDFILE.status as the supervisor writes it: the pool's fields, its counters, and one block per process. */
class StatusFileTest {

    @TempDir
    Path directory;

    private PoolHarness pool(PoolHarness.Options options) {
        options.statusFile = directory.resolve("jspawn.pid.status");
        return new PoolHarness(options);
    }

    private List<Map<String, String>> read(PoolHarness.Options options) throws IOException {
        return StatusFormat.parse(Files.readString(options.statusFile)).stream()
                .map(fields -> fields.stream().collect(Collectors.toMap(f -> f[0], f -> f[1])))
                .toList();
    }

    @Test
    void theFileIsThereFromTheStartAndShowsEachProcessState() throws IOException {
        PoolHarness.Options options = new PoolHarness.Options();
        PoolHarness pool = pool(options);
        assertEquals("2", read(options).get(0).get("total processes"));
        pool.readyAll();
        pool.active(pool.child(0), 2, 5, 10);
        pool.later(1000);
        List<Map<String, String>> status = read(options);
        assertEquals("1", status.get(0).get("idle processes"));
        assertEquals("1", status.get(0).get("active processes"));
        assertEquals("1", status.get(0).get("max active processes"));
        assertEquals(List.of("Busy", "Idle"), status.subList(1, 3).stream().map(p -> p.get("state")).toList());
        assertEquals("2", status.get(1).get("active requests"));
    }

    @Test
    void acceptedConnectionsKeepWhatChildrenThatHaveGoneServed() throws IOException {
        PoolHarness.Options options = new PoolHarness.Options();
        options.startChildren = 1;
        PoolHarness pool = pool(options);
        pool.active(pool.child(0), 0, 40, 0);
        pool.later(20_000);
        pool.exits(pool.child(0), exitStatus(1));
        pool.active(pool.child(1), 0, 2, 0);
        pool.later(1000);
        assertEquals("42", read(options).get(0).get("accepted conn"));
    }

    @Test
    void maxChildrenReachedAndSlowRequestsAreCounted() throws IOException {
        PoolHarness.Options options = new PoolHarness.Options();
        options.mode = PoolMode.ONDEMAND;
        options.startChildren = 0;
        options.maxChildren = 1;
        options.requestTimeout = Duration.ofSeconds(1);
        PoolHarness pool = pool(options);
        pool.listenQueue = 2;
        pool.later(100);
        pool.ready(pool.child(0));
        pool.active(pool.child(0), 1, 0, 1500);
        pool.later(1000);
        Map<String, String> fields = read(options).get(0);
        assertEquals("1", fields.get("max children reached"));
        assertEquals("1", fields.get("slow requests"));
        assertEquals("2", fields.get("max listen queue"));
    }

    @Test
    void slowShedLogFailuresBudgetAndOverloadRefusalsAreThePoolsTotalsAndKeepWhatChildrenThatHaveGoneCounted()
            throws IOException {
        PoolHarness.Options options = new PoolHarness.Options();
        options.slowlogInChildren = true;
        PoolHarness pool = pool(options);
        pool.readyAll();
        assertEquals(List.of("0", "0", "0", "0", "0"), counts(read(options).get(0)));
        pool.counts(pool.child(0), 1, 5, 0, 2, 6);
        pool.counts(pool.child(0), 2, 7, 1, 4, 8); // running totals: the last line counts
        pool.counts(pool.child(1), 3, 0, 0, 1, 3);
        pool.later(20_000);
        pool.exits(pool.child(0), exitStatus(1));
        pool.later(1000);
        assertEquals(List.of("5", "7", "1", "5", "11"), counts(read(options).get(0)));
    }

    /** Older children's lines lack the later fields; a newer one's has fields this launcher does not know. */
    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', value = {
        "counts 1 2 3              | 1 2 3 0 0",
        "counts 1 2 3 4            | 1 2 3 4 0",
        "counts 1 2 3 4 5 99 newer | 1 2 3 4 5"})
    void countsLinesOfOlderAndNewerChildrenCountTheFieldsTheyHave(String line, String expected) throws IOException {
        PoolHarness.Options options = new PoolHarness.Options();
        options.startChildren = 1;
        options.slowlogInChildren = true;
        PoolHarness pool = pool(options);
        pool.ready(pool.child(0));
        pool.line(pool.child(0), line);
        pool.later(1000);
        assertEquals(List.of(expected.split(" ")), counts(read(options).get(0)));
    }

    @Test
    void withASlowlogInTheChildrenSlowRequestsAreTheirsNotTheRequestTimeouts() throws IOException {
        PoolHarness.Options options = new PoolHarness.Options();
        options.startChildren = 1;
        options.requestTimeout = Duration.ofSeconds(1);
        options.slowlogInChildren = true;
        PoolHarness pool = pool(options);
        pool.ready(pool.child(0));
        pool.counts(pool.child(0), 1, 0, 0, 0, 0); // its slowlog entry came first, at --slowlog-timeout
        pool.active(pool.child(0), 1, 0, 1500);
        pool.later(1000);
        assertEquals("1", read(options).get(0).get("slow requests"), "the same request is not counted twice");
    }

    private static List<String> counts(Map<String, String> pool) {
        return List.of(pool.get("slow requests"), pool.get("shed requests"), pool.get("log failures"),
                pool.get("budget refusals"), pool.get("overload refusals"));
    }

    @Test
    void frozenChildrenAreCounted() throws IOException {
        PoolHarness.Options options = new PoolHarness.Options();
        options.startChildren = 1;
        options.heartbeatTimeout = Duration.ofSeconds(2);
        PoolHarness pool = pool(options);
        pool.ready(pool.child(0));
        pool.alive(pool.child(0));
        assertEquals("0", read(options).get(0).get("frozen children"));
        pool.turns(3000);
        assertEquals("1", read(options).get(0).get("frozen children"));
    }

    @Test
    void runWritesTheFileAtStartAndRemovesItOnceThePoolHasStopped() throws Exception {
        PoolHarness.Options options = new PoolHarness.Options();
        options.mode = PoolMode.ONDEMAND;
        options.startChildren = 0;
        options.statusFile = directory.resolve("jspawn.pid.status");
        PoolHarness pool = new PoolHarness(options, false);
        pool.supervisor.signal("TERM");
        assertEquals(0, pool.supervisor.run());
        assertEquals(1, pool.servingReports);
        assertFalse(Files.exists(options.statusFile));
    }

    @Test
    void eachChildShowsItsLatestRequestAndHeartbeatAge() throws IOException {
        PoolHarness.Options options = new PoolHarness.Options();
        options.startChildren = 1;
        PoolHarness pool = pool(options);
        pool.ready(pool.child(0));
        pool.request(pool.child(0), "POST", "/form?a=1");
        pool.later(1000);
        Map<String, String> child = read(options).get(1);
        assertEquals("POST", child.get("request method"));
        assertEquals("/form?a=1", child.get("request URI"));
        assertEquals("1000", child.get("heartbeat age ms"));
        assertEquals("1000", read(options).get(0).get("max heartbeat age ms"));
    }

    @Test
    void aChildThatNeverSaysShowsDashes() throws IOException {
        PoolHarness.Options options = new PoolHarness.Options();
        options.startChildren = 1;
        options.reporting = false;
        PoolHarness pool = pool(options);
        pool.later(1000);
        Map<String, String> child = read(options).get(1);
        assertEquals(List.of("-", "-", "-"), List.of(child.get("request method"), child.get("request URI"),
                child.get("heartbeat age ms")));
    }

    @Test
    void recycleReasonsAreCountedOncePerChild() throws IOException {
        PoolHarness.Options options = new PoolHarness.Options();
        options.startChildren = 1;
        options.maxRequests = 10;
        PoolHarness pool = pool(options);
        pool.ready(pool.child(0));
        pool.active(pool.child(0), 0, 10, 0);
        pool.active(pool.child(0), 0, 11, 0); // still marked: not counted again
        pool.ready(pool.child(1));
        pool.stoppedOnesExit();
        pool.exits(pool.child(1), exitStatus(1));
        pool.later(1000);
        Map<String, String> fields = read(options).get(0);
        assertEquals("1", fields.get("recycled max requests"));
        assertEquals("1", fields.get("recycled crashed"));
        assertEquals("0", fields.get("recycled max memory"));
    }

    @Test
    void theSnapshotForTheStatusListenerIsTheFilesContent() throws IOException {
        PoolHarness.Options options = new PoolHarness.Options();
        PoolHarness pool = pool(options);
        pool.readyAll();
        pool.later(1000);
        assertEquals(Files.readString(options.statusFile), io.jfcgi.spawner.status.TextPage.render(
                pool.supervisor.snapshots().get()));
    }
}
