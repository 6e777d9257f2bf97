package io.jfcgi.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FCGI_WEB_SERVER_ADDRS with plain addresses and CIDR ranges: who is allowed, and one line per bad entry. */
class WebServerAddressesTest {

    @ParameterizedTest(name = "{0} allows {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.200.0.2                      | 10.200.0.2     | true
            10.200.0.2                      | 10.200.0.3     | false
            10.200.0.0/24                   | 10.200.0.99    | true
            10.200.0.0/24                   | 10.200.1.1     | false
            10.0.0.0/9                      | 10.127.0.1     | true
            10.0.0.0/9                      | 10.128.0.1     | false
            10.200.0.2,127.0.0.1,::1        | ::1            | true
            10.200.0.2,127.0.0.1,::1        | 127.0.0.2      | false
            fd00::/64                       | fd00::1:2      | true
            fd00::/64                       | fd00:0:0:1::1  | false
            0.0.0.0/0                       | 192.0.2.1      | true
            0.0.0.0/0                       | 2001:db8::1    | false
            10.200.0.0/32                   | 10.200.0.0     | true
            ::/0                            | 2001:db8::1    | true
            ::/128                          | ::             | true
            """)
    void allowsThePeersInItsEntries(String list, String peer, boolean allowed) throws Exception {
        WebServerAddresses addresses = WebServerAddresses.parse(Arrays.asList(list.split(",")));
        assertEquals(allowed, addresses.allows(InetAddress.getByName(peer)));
    }

    @Test
    void anEmptyListAllowsEveryPeer() throws Exception {
        assertTrue(WebServerAddresses.parse(List.of()).allows(InetAddress.getByName("192.0.2.1")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            web1.example  | 'web1.example', which is not an IP address or a CIDR range
            10.0.0.0/33   | '10.0.0.0/33', whose prefix length is not 0 to 32
            fd00::/x      | 'fd00::/x', whose prefix length is not 0 to 128
            fd00::/129    | 'fd00::/129', whose prefix length is not 0 to 128
            10.0.0.0/-1   | '10.0.0.0/-1', whose prefix length is not 0 to 32
            """)
    void aBadEntryIsOneLineNamingIt(String entry, String message) {
        String error = assertThrows(IllegalArgumentException.class,
                () -> WebServerAddresses.parse(List.of("10.0.0.1", entry))).getMessage();
        assertTrue(error.startsWith("FCGI_WEB_SERVER_ADDRS has " + message), error);
        assertTrue(!error.contains("\n"), error);
    }

    @Test
    void theListSaysItsEntriesAndWhetherItHasAny() {
        WebServerAddresses addresses = WebServerAddresses.parse(List.of("10.0.0.1", "fd00::/64"));
        assertEquals("10.0.0.1,fd00::/64", addresses.toString());
        assertFalse(addresses.isEmpty());
        assertTrue(WebServerAddresses.parse(List.of()).isEmpty());
    }
}
