package io.jfcgi.spawner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NativeHeapTrimTest {

    @ParameterizedTest(name = "JDK {0}, libc {1}: {2}")
    @CsvSource({"17.0.15, gnu, true", "17.0.9, gnu, true", "17.0.8, gnu, false", "18.0.2, gnu, false",
            "21, gnu, false", "21.0.1, gnu, true", "22, gnu, true", "25.0.3, gnu, true", "17.0.15, musl, false",
            "17.0.15, '', false", "'', gnu, false", "17-ea, gnu, false"})
    void onlyAJvmWithTheFlagOnGlibcTrims(String version, String libc, boolean trims) {
        assertEquals(trims ? NativeHeapTrim.OPTIONS : List.of(),
                NativeHeapTrim.options(new JdkRelease(version, libc), List.of()));
    }

    @Test
    void theUsersOwnIntervalReplacesOurs() {
        assertEquals(List.of(), NativeHeapTrim.options(new JdkRelease("17.0.15", "gnu"),
                List.of("-Dx=y", "-XX:TrimNativeHeapInterval=0")));
    }
}
