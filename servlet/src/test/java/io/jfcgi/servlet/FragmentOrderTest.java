package io.jfcgi.servlet;

import io.jfcgi.servlet.FragmentOrder.Fragment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The order of web fragments (Servlet 6.1 §8.2.2), without jars. A jar is written "file:NAME" plus
 * {@code <X} (before X), {@code >X} (after X), {@code <*} (before others), {@code >*} (after others); an absolute
 * ordering is names and {@code *} for others; the result is the included jars' files, then "| excluded ...".
 */
class FragmentOrderTest {

    static Stream<Arguments> orders() {
        return Stream.of(
                Arguments.of("no ordering: name order", "a:A b:B c", null, "a b c"),
                Arguments.of("after a name", "a:A>B b:B c:C", null, "b a c"),
                Arguments.of("before a name", "a:A b:B c:C<A", null, "b c a"),
                Arguments.of("before the others", "a:A b:B c:C<*", null, "c a b"),
                Arguments.of("after the others", "a:A>* b:B c", null, "b c a"),
                Arguments.of("after the others and after a name", "a:A>* b:B>*>A c", null, "c a b"),
                Arguments.of("before the others, after a name", "a:A b:B c:C<*>B", null, "b c a"),
                Arguments.of("a name no jar has means nothing", "a:A>Z b:B", null, "a b"),
                Arguments.of("jars without a fragment are others", "a:A>* b c:C<*", null, "c b a"),
                Arguments.of("absolute: the names, in order", "a:A b:B c:C", "C A", "c a | excluded b"),
                Arguments.of("absolute: others where they stand", "a:A b:B c:C d", "B * A", "b c d a"),
                Arguments.of("absolute: relative ordering ignored", "a:A>B b:B c:C<*", "A B C", "a b c"),
                Arguments.of("absolute: unknown names ignored", "a:A b:B", "Z B", "b | excluded a"),
                Arguments.of("absolute: nothing named", "a:A b", "", " | excluded a b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orders")
    void fragmentsAreOrdered(String name, String jars, String absolute, String expected) {
        FragmentOrder.Ordered ordered = FragmentOrder.order(jars(jars), absolute == null ? Optional.empty()
                : Optional.of(Arrays.stream(absolute.split(" ")).filter(s -> !s.isEmpty())
                        .map(s -> s.equals("*") ? FragmentOrder.OTHERS : s).toList()));
        String result = files(ordered.included());
        if (!ordered.excluded().isEmpty()) {
            result += " | excluded " + files(ordered.excluded());
        }
        assertEquals(expected, result);
    }

    static Stream<Arguments> conflicts() {
        return Stream.of(
                Arguments.of("a cycle", "a:A>B b:B>A c", "the web fragments [A, B] are ordered before and after each "
                        + "other (<ordering> in their web-fragment.xml)"),
                Arguments.of("one name twice", "a:A b:A", "two web fragments are named 'A' (b and a)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conflicts")
    void contradictionsAreClearErrors(String name, String jars, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> FragmentOrder.order(jars(jars), Optional.empty())).getMessage());
    }

    private static String files(List<Fragment> fragments) {
        return fragments.stream().map(Fragment::jar).collect(Collectors.joining(" "));
    }

    /** "a:A>B" is a.jar named A, after B; see the class comment. */
    private static List<Fragment> jars(String spec) {
        List<Fragment> jars = new ArrayList<>();
        for (String jar : spec.split(" ")) {
            String[] parts = jar.split(":", 2);
            if (parts.length == 1) {
                jars.add(Fragment.unordered(parts[0], null));
                continue;
            }
            String[] tokens = parts[1].split("(?=[<>])");
            List<String> before = new ArrayList<>();
            List<String> after = new ArrayList<>();
            boolean beforeOthers = false;
            boolean afterOthers = false;
            for (int i = 1; i < tokens.length; i++) {
                String target = tokens[i].substring(1);
                boolean others = target.equals("*");
                if (tokens[i].charAt(0) == '<') {
                    beforeOthers |= others;
                    if (!others) {
                        before.add(target);
                    }
                } else {
                    afterOthers |= others;
                    if (!others) {
                        after.add(target);
                    }
                }
            }
            jars.add(new Fragment(parts[0], tokens[0], before, beforeOthers, after, afterOthers));
        }
        return jars;
    }
}
