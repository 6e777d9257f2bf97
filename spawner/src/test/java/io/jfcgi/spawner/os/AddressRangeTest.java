package io.jfcgi.spawner.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An allow-list entry: what parses, how it prints, what it contains, and one message per mistake. */
class AddressRangeTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.5           | 10.0.0.5
            10.0.0.5/32        | 10.0.0.5
            10.0.0.0/8         | 10.0.0.0/8
            ' 192.0.2.0/24 '   | 192.0.2.0/24
            ::1                | ::1
            fd00::/64          | fd00::/64
            ::ffff:10.0.0.1    | 10.0.0.1
            2001:db8:0:0:1:0:0:1 | 2001:db8::1:0:0:1
            fd00:0:0:1::/64    | fd00:0:0:1::/64
            ::/0               | ::/0
            0.0.0.0/0          | 0.0.0.0/0
            """)
    void parsesAddressesAndRanges(String text, String printed) {
        assertEquals(printed, AddressRange.parse(text).toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            localhost          | is not an IP address or a CIDR range
            10.0.0             | is not an IP address or a CIDR range
            ''                 | is not an IP address or a CIDR range
            fe80::1%eth0       | is not an IP address or a CIDR range
            10.0.0.0/33        | has a bad prefix length: use /0 to /32
            10.0.0.0/x         | has a bad prefix length: use /0 to /32
            fd00::/129         | has a bad prefix length: use /0 to /128
            10.0.0.5/24        | has host bits set: did you mean 10.0.0.0/24?
            """)
    void refusesAnythingElseWithOneLine(String text, String message) {
        String error = assertThrows(IllegalArgumentException.class, () -> AddressRange.parse(text)).getMessage();
        assertTrue(error.contains(message), error);
        assertTrue(!error.contains("\n"), error);
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8    | 10.255.0.1  | true
            10.0.0.0/8    | 11.0.0.1    | false
            10.0.0.1      | 10.0.0.1    | true
            fd00::/16     | fd00::1     | true
            fd00::/16     | fd01::1     | false
            0.0.0.0/0     | ::1         | false
            """)
    void containsTheAddressesOfItsPrefix(String range, String address, boolean contained) throws Exception {
        assertEquals(contained, AddressRange.parse(range).contains(InetAddress.getByName(address)));
    }
}
