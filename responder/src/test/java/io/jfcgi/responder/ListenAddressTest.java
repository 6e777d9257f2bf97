package io.jfcgi.responder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenAddressTest {

    @ParameterizedTest
    @CsvSource({"127.0.0.1:9000, 127.0.0.1, 9000", "[::1]:9001, 0:0:0:0:0:0:0:1, 9001", ":9002, 0.0.0.0, 9002",
        "*:9003, 0.0.0.0, 9003", "localhost:0, 127.0.0.1, 0", "127.0.0.1:65535, 127.0.0.1, 65535"})
    void tcpFormsParse(String text, String host, int port) {
        ListenAddress listen = ListenAddress.parse(text);
        assertFalse(listen.isUnix());
        InetSocketAddress address = (InetSocketAddress) listen.socketAddress();
        assertEquals(port, address.getPort());
        assertEquals(host, address.getAddress().getHostAddress());
    }

    @ParameterizedTest
    @CsvSource({"unix:/run/app.sock, /run/app.sock", "unix:relative.sock, relative.sock"})
    void unixFormParses(String text, String path) {
        ListenAddress address = ListenAddress.parse(text);
        assertTrue(address.isUnix());
        assertEquals(path, ((UnixDomainSocketAddress) address.socketAddress()).getPath().toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "9000|there is no port",
        "127.0.0.1:http|the port 'http' is not a number",
        "127.0.0.1:70000|the port 70000 is not in 0..65535",
        "127.0.0.1:65536|the port 65536 is not in 0..65535",
        "127.0.0.1:-1|the port -1 is not in 0..65535",
        "::1:9000|an IPv6 address needs brackets",
        "unix:|the unix socket path is empty",
        "no-such-host.invalid:9000|does not resolve"})
    void badFormsSayWhatIsWrongAndWhatToUse(String text, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(text));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().contains("use HOST:PORT, [IPv6]:PORT, :PORT or unix:/path"), e.getMessage());
    }

    @Test
    void anAddressBoundAlreadySaysWhatItIs() {
        InetSocketAddress tcp = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9000);
        assertEquals(tcp.toString(), ListenAddress.of(tcp).toString());
        assertFalse(ListenAddress.of(tcp).isUnix());
        ListenAddress unix = ListenAddress.of(UnixDomainSocketAddress.of("/run/app.sock"));
        assertEquals("unix:/run/app.sock", unix.toString());
        assertTrue(unix.isUnix());
    }
}
