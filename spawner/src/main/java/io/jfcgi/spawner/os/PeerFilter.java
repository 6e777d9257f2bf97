package io.jfcgi.spawner.os;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A classic BPF socket filter (SO_ATTACH_FILTER) that lets a listening TCP socket see segments only from allowed
 * source addresses. The kernel runs a TCP socket's filter on every segment it receives, a listener's SYNs included
 * (tcp_filter), so a connection from elsewhere is never established and no child accepts it; the sockets accepted
 * from the listener inherit the filter. Pure: this class builds the instructions, {@link ListenSocket} attaches them.
 *
 * <p>In a TCP socket filter the packet starts at the TCP header, so the IP source address is loaded relative to
 * the network header (SKF_NET_OFF): IPv4 saddr at +12, IPv6 saddr at +8..+23. The IP version nibble picks the
 * path, since an IPv4 peer of a {@code ::} socket arrives as IPv4.
 */
public final class PeerFilter {

    /** One {@code struct sock_filter}: opcode, jump offsets if true / if false, constant. */
    public record Instruction(int code, int jt, int jf, int k) {
        public Instruction {
            if (jt < 0 || jt > 255 || jf < 0 || jf > 255) {
                throw new IllegalArgumentException("jump offsets are 0..255: " + jt + ", " + jf);
            }
        }
    }

    static final int LD_W_ABS = 0x20;       // BPF_LD | BPF_W | BPF_ABS
    static final int LD_B_ABS = 0x30;       // BPF_LD | BPF_B | BPF_ABS
    static final int ALU_AND_K = 0x54;      // BPF_ALU | BPF_AND | BPF_K
    static final int ALU_RSH_K = 0x74;      // BPF_ALU | BPF_RSH | BPF_K
    static final int JMP_JA = 0x05;         // BPF_JMP | BPF_JA
    static final int JMP_JEQ_K = 0x15;      // BPF_JMP | BPF_JEQ | BPF_K
    static final int RET_K = 0x06;          // BPF_RET | BPF_K
    /** Loads at SKF_NET_OFF + n read byte n of the network (IP) header. */
    static final int SKF_NET_OFF = -0x100000;
    /** A socket filter returns how many bytes to keep: all, or none (drop). */
    static final int ACCEPT = 0xffffffff;
    static final int DROP = 0;
    /** BPF_MAXINSNS in the kernel. */
    static final int MAX_INSTRUCTIONS = 4096;
    static final int IPV4_SOURCE = 12;
    static final int IPV6_SOURCE = 8;

    private PeerFilter() {
    }

    /**
     * The program: accept a segment whose source lies in one of {@code allowed}, drop the rest (other IP versions
     * included). Each range is a run of word compares that falls through to ACCEPT, or skips to the next range.
     *
     * @throws IllegalArgumentException when the list is longer than a kernel filter can hold
     */
    public static List<Instruction> program(List<AddressRange> allowed) {
        List<Instruction> v4 = new ArrayList<>();
        List<Instruction> v6 = new ArrayList<>();
        for (AddressRange range : allowed) {
            if (range.isIpv4()) {
                match(v4, range, IPV4_SOURCE);
            } else {
                match(v6, range, IPV6_SOURCE);
            }
        }
        List<Instruction> program = new ArrayList<>();
        program.add(new Instruction(LD_B_ABS, 0, 0, SKF_NET_OFF));
        program.add(new Instruction(ALU_RSH_K, 0, 0, 4));
        program.add(new Instruction(JMP_JEQ_K, 1, 0, 4));
        program.add(new Instruction(JMP_JA, 0, 0, v4.size() + 1)); // A still holds the version there
        program.addAll(v4);
        program.add(new Instruction(RET_K, 0, 0, DROP));
        program.add(new Instruction(JMP_JEQ_K, 1, 0, 6));
        program.add(new Instruction(RET_K, 0, 0, DROP));
        program.addAll(v6);
        program.add(new Instruction(RET_K, 0, 0, DROP));
        if (program.size() > MAX_INSTRUCTIONS) {
            throw new IllegalArgumentException("the allow-list has too many entries for a socket filter ("
                    + program.size() + " instructions, the kernel takes " + MAX_INSTRUCTIONS + "): use CIDR ranges");
        }
        return List.copyOf(program);
    }

    /** {@code struct sock_filter[]} as the kernel reads it: u16 code, u8 jt, u8 jf, u32 k, in native order. */
    public static byte[] encode(List<Instruction> program) {
        ByteBuffer out = ByteBuffer.allocate(program.size() * 8).order(ByteOrder.nativeOrder());
        for (Instruction instruction : program) {
            out.putShort((short) instruction.code()).put((byte) instruction.jt()).put((byte) instruction.jf())
                    .putInt(instruction.k());
        }
        return out.array();
    }

    /** Compares the 32-bit words the prefix covers; any mismatch jumps past this range's ACCEPT. */
    private static void match(List<Instruction> out, AddressRange range, int sourceOffset) {
        ByteBuffer network = ByteBuffer.wrap(range.network().getAddress()); // big-endian, as BPF loads words
        List<Instruction> run = new ArrayList<>();
        for (int word = 0; word * 32 < range.prefixLength(); word++) {
            int bits = Math.min(32, range.prefixLength() - word * 32);
            int mask = (int) (0xffffffffL << (32 - bits));
            run.add(new Instruction(LD_W_ABS, 0, 0, SKF_NET_OFF + sourceOffset + word * 4));
            if (mask != -1) {
                run.add(new Instruction(ALU_AND_K, 0, 0, mask));
            }
            run.add(new Instruction(JMP_JEQ_K, 0, 0, network.getInt(word * 4)));
        }
        for (int i = 0; i < run.size(); i++) {
            Instruction instruction = run.get(i);
            if (instruction.code() == JMP_JEQ_K) { // on mismatch, skip the rest of the run and its ACCEPT
                run.set(i, new Instruction(JMP_JEQ_K, 0, run.size() - i, instruction.k()));
            }
        }
        out.addAll(run);
        out.add(new Instruction(RET_K, 0, 0, ACCEPT));
    }
}
