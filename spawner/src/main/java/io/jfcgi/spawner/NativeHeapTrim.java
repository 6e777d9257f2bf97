package io.jfcgi.spawner;

import java.util.List;

/**
 * HotSpot's periodic trim of the C heap, for JVM children: glibc keeps what a JVM frees after its start (the JIT's
 * arenas, Log4j's configuration) resident in its arenas: 12 MiB of an idle child's RSS on a busy machine
 * (docs/benchmarks.md, "Fast JVM children"). A trim every 10 s gives it back; every second cost about 5 % more CPU
 * per request under load. The flag exists from JDK 17.0.9 and 21.0.1 (experimental there: the unlock comes first)
 * and 22 on (JDK-8293114); an older JVM refuses to start with it, and trimming is glibc's, so only a JVM whose
 * release file says both gets it.
 */
final class NativeHeapTrim {

    static final String INTERVAL = "-XX:TrimNativeHeapInterval=";
    static final List<String> OPTIONS = List.of("-XX:+UnlockExperimentalVMOptions", INTERVAL + "10000");

    private NativeHeapTrim() {
    }

    /** Ours, unless the JVM lacks the flag or the user's options ({@code given}) set the interval already. */
    static List<String> options(JdkRelease jdk, List<String> given) {
        boolean has = jdk.feature() >= 22 || jdk.atLeast(21, 1) || jdk.atLeast(17, 9);
        boolean theirs = given.stream().anyMatch(option -> option.startsWith(INTERVAL));
        return has && jdk.libc().equals("gnu") && !theirs ? OPTIONS : List.of();
    }
}
