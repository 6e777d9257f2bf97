package io.jfcgi.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.NameValuePairs;
import io.jfcgi.codec.supervision.StatusMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The child's writer against the launcher's reader ({@link StatusMessage#parse}), through a pipe. */
class SupervisorChannelTest {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong oldest = new AtomicLong();
    private final AtomicReference<StatusMessage.Counts> counts =
            new AtomicReference<>(new StatusMessage.Counts(0, 0, 0));
    private final AtomicReference<Parameters> latest = new AtomicReference<>();
    private BufferedReader lines;
    private Thread writer;

    @BeforeEach
    void startWriting() throws IOException {
        PipedInputStream in = new PipedInputStream();
        PipedOutputStream out = new PipedOutputStream(in);
        lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        writer = new Thread(() -> SupervisorChannel.report(out, inFlight::get, served::get, oldest::get,
                counts::get, latest::get),
                "status-writer");
        writer.start();
    }

    @AfterEach
    void stopWriting() throws Exception {
        writer.interrupt();
        writer.join(10_000);
        lines.close();
    }

    @Test
    void theFirstLinesAreReadyAndAliveThenTheCountsAsTheyStand() throws IOException {
        assertEquals(new StatusMessage.Ready(), StatusMessage.parse(lines.readLine()));
        assertEquals(new StatusMessage.Alive(), StatusMessage.parse(lines.readLine()));
        assertEquals(new StatusMessage.Active(0, 0, 0), StatusMessage.parse(lines.readLine()));
    }

    @Test
    void aliveComesEverySecondWhileNothingChanges() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            lines.readLine();
            lines.readLine();
            lines.readLine();
            // Nothing changes, so nothing but beats: they keep coming. (Not timed: a reader that falls behind on a
            // loaded machine finds two beats in the pipe at once.)
            for (int beat = 0; beat < 3; beat++) {
                assertEquals(new StatusMessage.Alive(), StatusMessage.parse(lines.readLine()), "beat " + beat);
            }
        });
    }

    @Test
    void changedCountsReachTheReaderAsAnActiveLine() throws IOException {
        lines.readLine();
        lines.readLine();
        lines.readLine();
        inFlight.set(2);
        served.set(17);
        oldest.set(350);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            StatusMessage message;
            do { // the three counts may be seen in two periods, and an alive line may come between
                message = StatusMessage.parse(lines.readLine());
            } while (!message.equals(new StatusMessage.Active(2, 17, 350)));
        });
    }

    @Test
    void slowShedBudgetAndOverloadCountsReachTheReaderAsACountsLineOnceTheyAreNotZero() throws IOException {
        lines.readLine();
        lines.readLine();
        lines.readLine();
        counts.set(new StatusMessage.Counts(1, 2, 0, 3, 4));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            StatusMessage message;
            do { // alive lines may come before it; no counts line came while all were zero
                message = StatusMessage.parse(lines.readLine());
                assertTrue(message instanceof StatusMessage.Alive || message instanceof StatusMessage.Counts,
                        message.toString());
            } while (!(message instanceof StatusMessage.Counts));
            assertEquals(new StatusMessage.Counts(1, 2, 0, 3, 4), message);
        });
    }

    @Test
    void aNewRequestComesWithTheActiveLineAsItsMethodAndUri() throws IOException {
        lines.readLine();
        lines.readLine();
        lines.readLine();
        NameValuePairs pairs = new NameValuePairs();
        pairs.add(NameValuePair.of("REQUEST_METHOD", "POST"));
        pairs.add(NameValuePair.of("REQUEST_URI", "/form?a=b c"));
        latest.set(Parameters.adopt(pairs));
        served.set(1);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            StatusMessage message;
            do {
                message = StatusMessage.parse(lines.readLine());
            } while (!(message instanceof StatusMessage.Active));
            assertEquals(new StatusMessage.Active(0, 1, 0), message);
            assertEquals(new StatusMessage.Request("POST", "/form?a=b%20c"), StatusMessage.parse(lines.readLine()));
        });
    }

    @Test
    void theSameRequestIsNotSentAgain() throws IOException {
        NameValuePairs pairs = new NameValuePairs();
        pairs.add(NameValuePair.of("REQUEST_METHOD", "GET"));
        latest.set(Parameters.adopt(pairs));
        served.set(1);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            int requests = 0;
            for (int line = 0; line < 8; line++) { // at least one alive line apart: more than a second of periods
                StatusMessage message = StatusMessage.parse(lines.readLine());
                requests += message instanceof StatusMessage.Request ? 1 : 0;
                if (line == 4) {
                    served.set(2); // an active line without a new request
                }
            }
            assertEquals(1, requests);
        });
    }
}
