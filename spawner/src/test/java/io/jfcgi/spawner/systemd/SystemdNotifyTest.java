package io.jfcgi.spawner.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** NOTIFY_SOCKET's forms as sd_notify(3) takes them, and a datagram to each kind of address. */
class SystemdNotifyTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/run/systemd/notify | /run/systemd/notify",
        "@/org/example/x     | \\0/org/example/x",
        "relative/path       | ",
        "@                   | ",
    })
    void anAbsolutePathOrAnAbstractNameElseNone(String variable, String address) {
        String expected = address == null ? null : address.replace("\\0", "\0");
        assertEquals(expected, SystemdNotify.socketAddress(variable));
    }

    @Test
    void withoutTheVariableNothingIsSent() {
        assertFalse(SystemdNotify.from(Map.of()).isEnabled());
        assertFalse(SystemdNotify.from(Map.of("NOTIFY_SOCKET", "")).isEnabled());
    }

    @Test
    void aMessageReachesASocketFile() throws Exception {
        Path socket = dir.resolve("notify");
        try (UnixDatagramChannel receiver = UnixDatagramChannel.open()) {
            receiver.bind(new UnixSocketAddress(socket.toFile()));
            SystemdNotify.from(Map.of("NOTIFY_SOCKET", socket.toString())).mainPid(1234);
            assertEquals("MAINPID=1234", receive(receiver));
        }
    }

    @Test
    void aMessageReachesAnAbstractName() throws Exception {
        String name = "jfcgi-notify-test-" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
        try (UnixDatagramChannel receiver = UnixDatagramChannel.open()) {
            receiver.bind(new UnixSocketAddress("\0" + name));
            SystemdNotify notify = SystemdNotify.from(Map.of("NOTIFY_SOCKET", "@" + name));
            assertTrue(notify.isEnabled());
            notify.send("READY=1");
            assertEquals("READY=1", receive(receiver));
        }
    }

    @Test
    void aSocketThatIsGoneIsNoFailure() {
        SystemdNotify.from(Map.of("NOTIFY_SOCKET", dir.resolve("absent").toString())).send("READY=1");
        assertNull(null, "no exception: systemd is advisory");
    }

    private static String receive(UnixDatagramChannel receiver) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        receiver.receive(buffer);
        buffer.flip();
        return StandardCharsets.UTF_8.decode(buffer).toString();
    }
}
