package io.jfcgi.servlet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The order of a WAR's WEB-INF/lib jars as web fragments (Servlet 6.1 §8.2.2), which is the order their
 * descriptors are applied (so of their listeners and filter mappings, after web.xml's), their classes scanned and
 * their ServletContainerInitializers run. web.xml's {@code <absolute-ordering>} lists names and perhaps
 * {@code <others/>}: the named fragments in that order, every other jar where {@code <others/>} stands, and without
 * it those are excluded (not scanned, their initializers not run). Without one, each fragment's relative
 * {@code <ordering>} applies: its {@code <before>}/{@code <after>} names are kept, and {@code <others/>} puts it
 * before or after the rest; ties keep the jars' name order. A jar without web-fragment.xml is an unnamed other.
 */
final class FragmentOrder {

    /** The {@code <others/>} entry of an absolute ordering. */
    static final String OTHERS = "<others/>";

    /** What a jar's web-fragment.xml says about its place; a jar without one has no name and no constraints. */
    record Fragment(String jar, String name, List<String> before, boolean beforeOthers, List<String> after,
            boolean afterOthers) {

        /** A jar that has no web-fragment.xml, or one without ordering. */
        static Fragment unordered(String jar, String name) {
            return new Fragment(jar, name, List.of(), false, List.of(), false);
        }

        /** 0 before the others, 2 after them, 1 among them. */
        int rank() {
            return beforeOthers ? 0 : afterOthers ? 2 : 1;
        }
    }

    /** The jars in order, and those an absolute ordering left out. */
    record Ordered(List<Fragment> included, List<Fragment> excluded) {
    }

    private FragmentOrder() {
    }

    /**
     * @param jars in the jars' name order
     * @param absolute web.xml's absolute ordering (names and {@link #OTHERS}), if it has one
     * @throws IllegalArgumentException two fragments of one name, or relative orderings that contradict each other
     */
    static Ordered order(List<Fragment> jars, Optional<List<String>> absolute) {
        Map<String, Fragment> byName = new HashMap<>();
        for (Fragment jar : jars) {
            Fragment earlier = jar.name() == null ? null : byName.put(jar.name(), jar);
            if (earlier != null) {
                throw new IllegalArgumentException("two web fragments are named '" + jar.name() + "' ("
                        + jar.jar() + " and " + earlier.jar() + ")"); // §8.2.2: names are unique
            }
        }
        return absolute.isPresent() ? absolute(jars, byName, absolute.get()) : new Ordered(relative(jars, byName),
                List.of());
    }

    private static Ordered absolute(List<Fragment> jars, Map<String, Fragment> byName, List<String> entries) {
        Set<Fragment> named = new LinkedHashSet<>();
        for (String entry : entries) {
            Fragment fragment = byName.get(entry);
            if (fragment != null) {
                named.add(fragment); // a name that no jar has is ignored, as the spec says
            }
        }
        List<Fragment> others = jars.stream().filter(jar -> !named.contains(jar)).toList();
        List<Fragment> included = new ArrayList<>();
        boolean othersPlaced = false;
        Set<Fragment> placed = new HashSet<>();
        for (String entry : entries) {
            if (entry.equals(OTHERS) && !othersPlaced) {
                included.addAll(others);
                othersPlaced = true;
            } else if (byName.containsKey(entry) && placed.add(byName.get(entry))) {
                included.add(byName.get(entry));
            }
        }
        return new Ordered(included, othersPlaced ? List.of() : others);
    }

    /** Kahn's topological sort over the before/after names; among the free, the lowest rank, then name order. */
    private static List<Fragment> relative(List<Fragment> jars, Map<String, Fragment> byName) {
        Map<Fragment, Set<Fragment>> successors = new HashMap<>();
        Map<Fragment, Integer> waitingFor = new HashMap<>();
        jars.forEach(jar -> {
            successors.put(jar, new LinkedHashSet<>());
            waitingFor.put(jar, 0);
        });
        for (Fragment jar : jars) {
            for (String name : jar.before()) {
                edge(jar, byName.get(name), successors, waitingFor);
            }
            for (String name : jar.after()) {
                edge(byName.get(name), jar, successors, waitingFor);
            }
        }
        Map<Fragment, Integer> index = new HashMap<>();
        for (int i = 0; i < jars.size(); i++) {
            index.put(jars.get(i), i);
        }
        Map<Fragment, Integer> rank = ranks(jars, successors);
        PriorityQueue<Fragment> free = new PriorityQueue<>(Comparator.comparing((Fragment jar) -> rank.get(jar))
                .thenComparing(index::get));
        jars.stream().filter(jar -> waitingFor.get(jar) == 0).forEach(free::add);
        List<Fragment> ordered = new ArrayList<>();
        while (!free.isEmpty()) {
            Fragment next = free.remove();
            ordered.add(next);
            for (Fragment successor : successors.get(next)) {
                if (waitingFor.merge(successor, -1, Integer::sum) == 0) {
                    free.add(successor);
                }
            }
        }
        if (ordered.size() < jars.size()) {
            List<String> cycle = jars.stream().filter(jar -> !ordered.contains(jar)).map(Fragment::name).toList();
            throw new IllegalArgumentException("the web fragments " + cycle + " are ordered before and after each "
                    + "other (<ordering> in their web-fragment.xml)");
        }
        return ordered;
    }

    /**
     * Each jar's place among the others (0 before, 1 among, 2 after): its own, except that what must come before
     * a jar placed before the others is placed before them too, and what must come after a jar placed after the
     * others goes after them too.
     */
    private static Map<Fragment, Integer> ranks(List<Fragment> jars, Map<Fragment, Set<Fragment>> successors) {
        Map<Fragment, Integer> rank = new HashMap<>();
        jars.forEach(jar -> rank.put(jar, jar.rank()));
        for (boolean changed = true; changed; ) {
            changed = false;
            for (Fragment jar : jars) {
                for (Fragment successor : successors.get(jar)) {
                    if (rank.get(successor) == 0 && rank.get(jar) != 0) {
                        rank.put(jar, 0);
                        changed = true;
                    }
                }
            }
        }
        for (boolean changed = true; changed; ) {
            changed = false;
            for (Fragment jar : jars) {
                for (Fragment successor : successors.get(jar)) {
                    if (rank.get(jar) == 2 && rank.get(successor) != 2) {
                        rank.put(successor, 2);
                        changed = true;
                    }
                }
            }
        }
        return rank;
    }

    /** {@code first} before {@code then}; a name no jar has means nothing. */
    private static void edge(Fragment first, Fragment then, Map<Fragment, Set<Fragment>> successors,
            Map<Fragment, Integer> waitingFor) {
        if (first != null && then != null && first != then && successors.get(first).add(then)) {
            waitingFor.merge(then, 1, Integer::sum);
        }
    }
}
