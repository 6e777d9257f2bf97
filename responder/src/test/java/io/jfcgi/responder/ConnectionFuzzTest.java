package io.jfcgi.responder;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;

/**
 * A live server fed mutated byte streams, one connection per input: the fuzz target of the responder, past the
 * codec's. In a normal build it replays its corpus, src/test/resources/io/jfcgi/responder/ConnectionFuzzTestInputs/
 * (seeds made by {@link ConnectionFuzzSeeds}, findings named {@code crash-*}); {@code docs/testing.md} says how
 * to fuzz for longer. One {@link FuzzedServer} serves every input. The property, after each input: whatever the
 * bytes, their split into writes and the way the connection ends,
 * <ul>
 * <li>the answer is well-formed FastCGI that never ends a request twice ({@link AnswerInvariants});</li>
 * <li>once the peer has closed and the server has accepted the connection, it holds no connection and no request
 * (within 10 s);</li>
 * <li>no thread let an exception escape, and the responder logged no error ({@link ServerFaults});</li>
 * <li>the server answers GET /probe on a new connection exactly as before;</li>
 * <li>no more sockets, pipes, selectors and server threads than at the start ({@link OpenResources}; within
 *     20 s).</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionFuzzTest {

    private ServerFaults faults;
    private FuzzedServer server;
    private OpenResources baseline;

    @BeforeAll
    void startServer() throws Exception {
        faults = ServerFaults.watch();
        server = FuzzedServer.start();
        server.probe();
        server.awaitQuiet();
    }

    @AfterAll
    void stopServer() throws Exception {
        try {
            if (baseline != null) {
                server.awaitQuiet();
                OpenResources.awaitAtMost(baseline, FuzzedServer.WORKERS);
                faults.check();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            faults.close();
        }
    }

    @FuzzTest(maxDuration = "45s")
    @DictionaryEntries({"REQUEST_METHOD", "REQUEST_URI", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING",
        "CONTENT_LENGTH", "CONTENT_TYPE", "HTTP_HOST", "REMOTE_ADDR", "SERVER_ADDR", "FCGI_MAX_CONNS", "FCGI_MAX_REQS",
        "FCGI_MPXS_CONNS", "/probe", "/big", "/stderr", "/throw", "/throw-late", "/echo", "POST", "GET", "HEAD"})
    void aLiveServerSurvivesAnyBytesOnAConnection(byte[] bytes) throws IOException, InterruptedException {
        if (baseline == null) {
            // Taken at the first input, not before: attaching Jazzer's agent opens the JVM's attach socket.
            baseline = OpenResources.now();
        }
        // Jazzer's agent, attached by now, reports any connection as request forgery unless told: ours go to
        // the server only.
        int port = server.address().getPort();
        SilentCloseable loopback = BugDetectors.allowNetworkConnections((host, to) -> to == port
                && (host.equals("127.0.0.1") || host.equals("localhost")));
        try {
            FuzzInput input = FuzzInput.parse(bytes);
            FuzzPeer.Answer answer = server.exchange(input);
            server.awaitQuiet();
            faults.check();
            AnswerInvariants.check(input.stream(), answer);
            server.probe();
        } finally {
            loopback.close();
        }
        // After every input, so that a leak is pinned on the input that made it; it waits only when one shows.
        OpenResources.awaitAtMost(baseline, FuzzedServer.WORKERS);
    }
}
