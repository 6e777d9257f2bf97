package io.jfcgi.tools;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ServerAddressTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:9000|127.0.0.1|9000",
        "[::1]:9001|0:0:0:0:0:0:0:1|9001",
        ":9002|0.0.0.0|9002"})
    void readsTcpAddresses(String text, String host, int port) {
        InetSocketAddress address = (InetSocketAddress) ServerAddress.parse(text);
        assertEquals(host, address.getAddress().getHostAddress());
        assertEquals(port, address.getPort());
    }

    @ParameterizedTest
    @CsvSource({"unix:/run/app.sock,/run/app.sock", "unix:relative.sock,relative.sock"})
    void readsUnixSocketPaths(String text, String path) {
        assertEquals(UnixDomainSocketAddress.of(Path.of(path)), ServerAddress.parse(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1|it is not an address",
        "unix:|it is not an address",
        "::1:9000|an IPv6 address needs brackets, as in [::1]:9000",
        "127.0.0.1:9000/path|it is not an address",
        "127.0.0.1:http|it is not an address",
        ":0|the port '0' is not in 1..65535",
        "127.0.0.1:70000|the port '70000' is not in 1..65535"})
    void refusesWhatIsNoAddressAndSaysTheForms(String text, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse(text));
        assertEquals("cannot connect to '" + text + "': " + why + "; use HOST:PORT, [IPv6]:PORT or unix:/path/to.sock",
                e.getMessage());
    }
}
