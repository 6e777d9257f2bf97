package io.jfcgi.spawner.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The socket filter run by a small classic-BPF interpreter on IP headers: the instructions the builder emits, the
 * way the kernel runs them for a TCP socket (loads relative to the network header). Whether the kernel really
 * drops a connection with it is AllowListIT's job.
 */
class PeerFilterTest {

    @ParameterizedTest(name = "allow {0}: {1} → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.200.0.2                 | 10.200.0.2      | true
            10.200.0.2                 | 10.200.0.3      | false
            10.200.0.2                 | 127.0.0.1       | false
            10.200.0.0/24              | 10.200.0.77     | true
            10.200.0.0/24              | 10.200.1.77     | false
            10.0.0.0/9                 | 10.127.255.255  | true
            10.0.0.0/9                 | 10.128.0.0      | false
            0.0.0.0/0                  | 192.0.2.1       | true
            0.0.0.0/0                  | ::1             | false
            10.200.0.2, 127.0.0.1, ::1 | 127.0.0.1       | true
            10.200.0.2, 127.0.0.1, ::1 | ::1             | true
            10.200.0.2, 127.0.0.1, ::1 | ::2             | false
            fd00:200::2                | fd00:200::2     | true
            fd00:200::2                | fd00:200::3     | false
            fd00:200::2                | 10.200.0.2      | false
            fd00::/64                  | fd00::abcd:1    | true
            fd00::/64                  | fd00:0:0:1::1   | false
            fd00::/60                  | fd00:0:0:f::1   | true
            fd00::/60                  | fd00:0:0:10::1  | false
            2001:db8::/33              | 2001:db8:7fff::1| true
            2001:db8::/33              | 2001:db8:8000::1| false
            ::/0                       | 2001:db8::1     | true
            ::/0                       | 10.0.0.1        | false
            """)
    void admitsExactlyTheSourcesInTheList(String allowed, String source, boolean admitted) throws Exception {
        List<AddressRange> ranges = Arrays.stream(allowed.split(",")).map(AddressRange::parse).toList();
        assertEquals(admitted, run(PeerFilter.program(ranges), ipHeader(InetAddress.getByName(source))));
    }

    @Test
    void anEmptyListDropsEverything() throws Exception {
        List<PeerFilter.Instruction> program = PeerFilter.program(List.of());
        assertEquals(false, run(program, ipHeader(InetAddress.getByName("127.0.0.1"))));
        assertEquals(false, run(program, ipHeader(InetAddress.getByName("::1"))));
    }

    @Test
    void aPacketOfAnotherIpVersionIsDropped() {
        byte[] header = new byte[40];
        header[0] = 0x50;
        assertEquals(false, run(PeerFilter.program(List.of(AddressRange.parse("0.0.0.0/0"),
                AddressRange.parse("::/0"))), header));
    }

    @Test
    void aLongListStillJumpsWithinOneByte() throws Exception {
        List<AddressRange> ranges = Stream.iterate(1, i -> i + 1).limit(300)
                .map(i -> AddressRange.parse("fd00::" + Integer.toHexString(i))).collect(Collectors.toList());
        ranges.add(AddressRange.parse("10.0.0.1"));
        List<PeerFilter.Instruction> program = PeerFilter.program(ranges);
        assertTrue(run(program, ipHeader(InetAddress.getByName("fd00::12c"))));
        assertTrue(run(program, ipHeader(InetAddress.getByName("10.0.0.1"))));
        assertEquals(false, run(program, ipHeader(InetAddress.getByName("fd00::12d"))));
    }

    @Test
    void aListBeyondTheKernelsLimitIsRefusedWithAMessage() {
        List<AddressRange> ranges = Stream.iterate(1, i -> i + 1).limit(500)
                .map(i -> AddressRange.parse("fd00::" + Integer.toHexString(i))).toList();
        String message = assertThrows(IllegalArgumentException.class, () -> PeerFilter.program(ranges)).getMessage();
        assertTrue(message.contains("use CIDR ranges"), message);
    }

    @Test
    void encodesSockFilterStructsInNativeOrder() {
        byte[] bytes = PeerFilter.encode(List.of(new PeerFilter.Instruction(PeerFilter.JMP_JEQ_K, 1, 2, 0x0a000001)));
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        assertEquals(8, bytes.length);
        assertEquals(PeerFilter.JMP_JEQ_K, in.getShort());
        assertEquals(1, in.get());
        assertEquals(2, in.get());
        assertEquals(0x0a000001, in.getInt());
    }

    /** An IPv4 (20 bytes) or IPv6 (40 bytes) header with only the version and the source address filled in. */
    private static byte[] ipHeader(InetAddress source) {
        byte[] address = source.getAddress();
        boolean v4 = source instanceof Inet4Address;
        byte[] header = new byte[v4 ? 20 : 40];
        header[0] = (byte) (v4 ? 0x45 : 0x60);
        System.arraycopy(address, 0, header, v4 ? PeerFilter.IPV4_SOURCE : PeerFilter.IPV6_SOURCE, address.length);
        return header;
    }

    /** Classic BPF, the opcodes the builder uses; absolute loads only at SKF_NET_OFF + n, as in a TCP filter. */
    private static boolean run(List<PeerFilter.Instruction> program, byte[] network) {
        ByteBuffer packet = ByteBuffer.wrap(network); // BPF loads are big-endian
        int a = 0;
        int pc = 0;
        for (int steps = 0; steps < 10_000; steps++) {
            PeerFilter.Instruction in = program.get(pc++);
            switch (in.code()) {
                case PeerFilter.LD_W_ABS -> a = packet.getInt(in.k() - PeerFilter.SKF_NET_OFF);
                case PeerFilter.LD_B_ABS -> a = packet.get(in.k() - PeerFilter.SKF_NET_OFF) & 0xff;
                case PeerFilter.ALU_AND_K -> a &= in.k();
                case PeerFilter.ALU_RSH_K -> a >>>= in.k();
                case PeerFilter.JMP_JA -> pc += in.k();
                case PeerFilter.JMP_JEQ_K -> pc += a == in.k() ? in.jt() : in.jf();
                case PeerFilter.RET_K -> {
                    assertTrue(in.k() == PeerFilter.ACCEPT || in.k() == PeerFilter.DROP, "returns all or nothing");
                    return in.k() != PeerFilter.DROP;
                }
                default -> throw new AssertionError("unexpected opcode " + in.code());
            }
        }
        throw new AssertionError("the program did not return");
    }
}
