package io.jfcgi.responder;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What the process holds that a connection could leak: its file descriptors by kind ({@code /proc/self/fd}:
 * socket, pipe, anon_inode:[eventpoll]...; regular files are left out, since the JVM opens jars as it loads
 * classes) and the server's threads ({@code fcgi-*}; its workers apart, which idle for a minute before they go).
 */
record OpenResources(Map<String, Integer> descriptors, List<String> serverThreads, int workers) {

    private static final Path FDS = Path.of("/proc/self/fd");

    static OpenResources now() {
        Map<String, Integer> descriptors = new TreeMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                String kind = kind(fd);
                if (kind != null) {
                    descriptors.merge(kind, 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list " + FDS, e);
        }
        List<String> serverThreads = new ArrayList<>();
        int workers = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.startsWith("fcgi-worker-") || name.startsWith("fcgi-vworker-")) {
                workers++;
            } else if (name.startsWith("fcgi-") && !name.equals("fcgi-announce")) {
                serverThreads.add(name);
            }
        }
        Collections.sort(serverThreads);
        return new OpenResources(descriptors, serverThreads, workers);
    }

    /**
     * Waits (up to 20 s) until the process holds no more than {@code baseline} did, and no more than {@code
     * maxWorkers} workers.
     *
     * @throws AssertionError with both counts if it does not
     */
    static void awaitAtMost(OpenResources baseline, int maxWorkers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        OpenResources now = now();
        while (!now.atMost(baseline, maxWorkers)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("leaked: " + now + "; at the start: " + baseline + serverStacks());
            }
            Thread.sleep(10);
            now = now();
        }
    }

    /** Where the server's threads (but workers) are, for the failure message. */
    private static String serverStacks() {
        StringBuilder stacks = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("fcgi-") && !thread.getName().startsWith("fcgi-worker-")) {
                stacks.append("\n").append(thread.getName()).append(' ').append(thread.getState());
                for (StackTraceElement frame : stack) {
                    stacks.append("\n    at ").append(frame);
                }
            }
        });
        return stacks.toString();
    }

    private boolean atMost(OpenResources baseline, int maxWorkers) {
        for (Map.Entry<String, Integer> kind : descriptors.entrySet()) {
            if (kind.getValue() > baseline.descriptors.getOrDefault(kind.getKey(), 0)) {
                return false;
            }
        }
        return serverThreads.size() <= baseline.serverThreads.size() && workers <= maxWorkers;
    }

    /** socket, pipe, anon_inode:[...]; null for a regular file, or a descriptor closed while we looked. */
    private static String kind(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("/")) {
                return null;
            }
            int bracket = target.indexOf(":[");
            return bracket < 0 || target.startsWith("anon_inode:") ? target : target.substring(0, bracket);
        } catch (IOException e) {
            return null;
        }
    }
}
