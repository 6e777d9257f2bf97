package io.jfcgi.spawner;

import io.jfcgi.codec.BeginRequest;
import io.jfcgi.codec.NameValuePair;
import io.jfcgi.codec.Params;
import io.jfcgi.codec.RecordEncoder;
import io.jfcgi.codec.Role;
import io.jfcgi.codec.Stdin;
import io.jfcgi.codec.supervision.StatusChannel;
import io.jfcgi.spawner.os.Pipe;
import io.jfcgi.spawner.os.Posix;
import io.jfcgi.spawner.os.ProcessSpawner;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Makes a child's class-data sharing archive once: one extra run of the child's own command on a unix socket of its
 * own ({@code JFCGI_LISTEN}, which every app.jar reads), its status lines into /dev/null (so that the status
 * channel's classes and lambdas, which a launched child runs before {@code ready}, are archived too), with
 * {@code -XX:DumpLoadedClassList} into a private temporary directory beside the archive; one FastCGI request
 * ({@code GET /}) so that the request path is listed too, then a graceful stop; then {@code java -Xshare:dump} makes
 * a static archive of exactly the listed classes in that directory ({@link #dumpCommand}), and once it has exited
 * with 0 and the file starts with HotSpot's magic (HotSpot writes the header last) it is renamed into place, its
 * CRC-32C beside it ({@link ChildClassDataSharing#isSealed}). No child ever maps a file that is being written. When
 * the launcher stops (or dies) first, the training still stops gracefully and dumps, and writes {@value #ENDED}
 * (the exit status) once the dump has exited; the next launch adopts that archive ({@link #adopt}), so that launches
 * shorter than a training (tests, a quick restart) do not train again and again. A directory without a
 * {@value #ENDED} of 0 is never used, and removed once older than any training can live.
 *
 * <p>The training JVM is not the launcher's child: {@code sh} starts it in the background under {@code nice} and
 * {@code timeout} and exits at once, and is waited for before the supervisor exists, whose reaper takes every child
 * with waitpid(-1). It gets the status channel's control fd, so that it stops when the launcher dies, even by
 * SIGKILL (and timeout bounds it anyway). One thread of its own ({@code cds-training}), bounded
 * by {@value #DEADLINE_SECONDS} s; {@link #close} from the launcher's thread stops it.
 */
final class ArchiveTraining implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(ArchiveTraining.class);
    /** The run, 5 s on, and the dump, which under nice on a saturated 2-core machine took 100 s (load 30). */
    static final long DEADLINE_SECONDS = 240;
    private static final String TRAINING_PREFIX = ".training-";
    /**
     * Runs the training's {@value #STEPS} in the background and prints its pid; "$1" is its directory. The
     * {@value #ENDED} file, with the dump's exit status, says that both JVMs have exited, so that the archive is
     * whole even if no launcher saw it.
     */
    private static final String LAUNCH = "dir=$1; (nice -n 10 timeout -k 10 " + DEADLINE_SECONDS
            + " /bin/sh \"$dir/" + "steps\" </dev/null >\"$dir/output\" 2>&1; echo $? >\"$dir/" + "ended\") & echo $!";
    /** The shell script of the two steps, written into the training's directory: no quoting passes through sh -c. */
    static final String STEPS = "steps";
    private static final String CLASS_LIST = "classes.list";
    /** The training JVM's status fd: /dev/null, so that it reports as a launched child does, to nobody. */
    static final int STATUS_FD = 4;
    /**
     * How long the class list must stay the same before the training stops: what the app starts after its first
     * answer (a logging backend such as log4j-core, started on fcgi-announce) is listed too. Stopped at once,
     * trainings on a busy machine listed 10 MiB of archive instead of 18, and the children parsed log4j-core from
     * the jar (+11 MiB each).
     */
    static final long QUIET_MILLIS = 2000;
    static final String ENDED = "ended";

    private final Posix posix;
    private final Path archive;
    private final Path work;
    /** The training JVM's socket, in a private directory of its own under java.io.tmpdir. */
    private final Path socket;
    private final ProcessHandle process;
    /** The write end of the training's control pipe: open while the launcher lives. */
    private final int control;
    private final java.util.concurrent.atomic.AtomicBoolean controlOpen =
            new java.util.concurrent.atomic.AtomicBoolean(true);
    private final Thread thread;
    private volatile boolean closed;

    private ArchiveTraining(Posix posix, Path archive, Path work, Path socket, ProcessHandle process, int control) {
        this.posix = posix;
        this.control = control;
        this.archive = archive;
        this.work = work;
        this.socket = socket;
        this.process = process;
        this.thread = new Thread(this::train, "cds-training");
        thread.setDaemon(true);
    }

    /**
     * Starts the training of {@code archive} for children run as {@code childArgv} and returns at once; null (and
     * one log line) when it cannot start. Call before the supervisor starts reaping.
     */
    static ArchiveTraining start(Posix posix, List<String> childArgv, Map<String, String> environment,
            Path archive) {
        Path work = null;
        Path socket = null;
        Pipe control = null;
        try {
            removeAbandoned(archive.getParent());
            work = Files.createTempDirectory(archive.getParent(), trainingPrefix(archive));
            control = Pipe.open(posix);
            Map<String, String> env = new HashMap<>(environment);
            env.put(StatusChannel.STATUS_FD_VARIABLE, Integer.toString(STATUS_FD));
            // The status channel's control end only: its EOF stops the training when the launcher dies, however.
            env.put(StatusChannel.CONTROL_FD_VARIABLE, "3");
            // Not beside the archive: that path can pass the 108 bytes of a unix socket's (a --cds-dir of 40
            // characters did), and the training never listened. createTempDirectory makes it 0700.
            socket = Files.createTempDirectory("jfcgi-training-").resolve("s");
            env.put("JFCGI_LISTEN", "unix:" + socket);
            Files.writeString(work.resolve(STEPS), steps(childArgv, work), StandardCharsets.UTF_8);
            List<String> argv = List.of("/bin/sh", "-c", LAUNCH, "sh", work.toString());
            long pid = spawnAndReadPid(posix, argv, env, control.readFd());
            ProcessHandle process = ProcessHandle.of(pid).orElseThrow(
                    () -> new IOException("the training run (pid " + pid + ") ended at once"));
            ArchiveTraining training = new ArchiveTraining(posix, archive, work, socket, process,
                    control.writeFd());
            training.thread.start();
            return training;
        } catch (IOException | RuntimeException e) {
            LOG.info("no class-data sharing archive for the children: cannot start the training run: {}",
                    e.getMessage());
            if (control != null) {
                posix.closeQuietly(control.writeFd());
            }
            if (work != null) {
                deleteTree(work);
            }
            if (socket != null) {
                deleteTree(socket.getParent());
            }
            return null;
        } finally {
            if (control != null) {
                posix.closeQuietly(control.readFd());
            }
        }
    }

    /** Spawns {@code sh} with {@code control} as its fd 3, reads the background job's pid from it and reaps it. */
    private static long spawnAndReadPid(Posix posix, List<String> argv, Map<String, String> env, int control)
            throws IOException {
        Pipe pipe = Pipe.open(posix);
        int pid;
        try {
            pid = new ProcessSpawner(posix).spawn(argv, env, new int[] {-1, pipe.writeFd(), -1, control},
                    ProcessSpawner.Detach.OWN_GROUP);
        } finally {
            posix.closeQuietly(pipe.writeFd());
        }
        String line;
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(pipe.takeReader(posix),
                StandardCharsets.US_ASCII))) {
            line = reader.readLine();
        } finally {
            posix.libc().waitpid(pid, new int[1], 0);
        }
        try {
            return Long.parseLong(line == null ? "" : line.trim());
        } catch (NumberFormatException e) {
            throw new IOException("sh did not start it (said: " + line + ")");
        }
    }

    /** The child's command with the flag that lists the classes it loads into {@code classList}, before -jar. */
    static List<String> command(List<String> childArgv, Path classList) {
        List<String> command = new ArrayList<>(childArgv);
        int jar = command.indexOf("-jar");
        command.addAll(jar, ChildClassDataSharing.QUIET);
        command.add(jar, "-XX:DumpLoadedClassList=" + classList);
        return command;
    }

    /**
     * The static dump of the listed classes into {@code output}: the child's java and JVM options (those that decide
     * whether HotSpot accepts the archive later, e.g. compressed class pointers) but its -Xshare, and its jar as the
     * class path, which HotSpot checks against the child's.
     */
    static List<String> dumpCommand(List<String> childArgv, Path classList, Path output) {
        int jar = childArgv.indexOf("-jar");
        List<String> command = new ArrayList<>(List.of(childArgv.get(0)));
        childArgv.subList(1, jar).stream().filter(option -> !option.startsWith("-Xshare:")).forEach(command::add);
        command.addAll(ChildClassDataSharing.QUIET);
        command.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + output, "-cp", childArgv.get(jar + 1)));
        return command;
    }

    /** The training's two steps as a script: the run that lists the classes, then, if it listed any, the dump. */
    static String steps(List<String> childArgv, Path work) {
        Path classList = work.resolve(CLASS_LIST);
        return shell(command(childArgv, classList)) + " " + STATUS_FD + ">/dev/null\n[ -s "
                + shell(List.of(classList.toString())) + " ] && exec "
                + shell(dumpCommand(childArgv, classList, work.resolve("archive.jsa"))) + "\n";
    }

    /** Each word in single quotes, a quote inside as '\'' : sh takes every word as it is. */
    static String shell(List<String> words) {
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            line.append(line.length() > 0 ? " " : "").append('\'').append(word.replace("'", "'\\''")).append('\'');
        }
        return line.toString();
    }

    /** Waits for the training to end (tests; a launcher never waits). */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        thread.join(unit.toMillis(timeout));
        return !thread.isAlive();
    }

    /**
     * From the launcher's thread when it stops: the training stops gracefully (EOF on its control fd) and dumps
     * into its directory, where the next launch adopts the archive ({@link #adopt}).
     */
    @Override
    public void close() {
        closed = true;
        closeControl();
    }

    private void train() {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        Path output = work.resolve("archive.jsa");
        try {
            String failure = askOnce(socket, deadline);
            if (failure == null) {
                awaitQuiet(work.resolve(CLASS_LIST), deadline);
            }
            // EOF on its control fd: a jfcgi child stops gracefully, its class list whole, and the dump follows. Not
            // SIGTERM, which timeout passes on to its whole process group, the dump's JVM too.
            closeControl();
            long left = Math.max(0, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(15);
            process.onExit().get(left, TimeUnit.NANOSECONDS);
            if (closed) {
                return;
            }
            // A run that never answered listed its start-up only: an archive of that would be mostly useless.
            if (failure != null || !isArchive(output) || !endedWell(work)) {
                LOG.info("no class-data sharing archive for the children: the training run {}: {}",
                        failure != null ? failure : "wrote no archive", lastLine(work.resolve("output")));
                return;
            }
            publish(work, archive); // and removes the directory, before the line that says it is done
            LOG.info("class-data sharing archive made in {} ms ({} KiB), used by children started from the next "
                    + "launch on: {}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    Files.size(archive) / 1024, archive);
        } catch (IOException | java.util.concurrent.ExecutionException
                 | java.util.concurrent.TimeoutException e) {
            if (!closed) {
                LOG.info("no class-data sharing archive for the children: {}", e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeControl();
            deleteTree(socket.getParent());
            if (!closed) {
                killTree();
                deleteTree(work);
            }
        }
    }

    /** Returns once {@code classList} has not grown for {@link #QUIET_MILLIS}, the JVM has gone, or at the deadline. */
    private void awaitQuiet(Path classList, long deadline) throws InterruptedException {
        long size = -1;
        long quietSince = System.nanoTime();
        while (!closed && process.isAlive() && System.nanoTime() < deadline
                && System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
            Thread.sleep(100); // the list is a file the JVM appends to: nothing to wait on
            long now = classList.toFile().length();
            if (now != size) {
                size = now;
                quietSince = System.nanoTime();
            }
        }
    }

    /** The training directory's name for {@code archive}: the next launch knows which trainings are its own. */
    static String trainingPrefix(Path archive) {
        return TRAINING_PREFIX + archive.getFileName() + "-";
    }

    /**
     * Publishes the archive of a training whose JVM has ended though no launcher saw it end (the launcher stopped
     * or was killed meanwhile); true when {@code archive} now exists. From the launcher's thread, at a launch.
     */
    static boolean adopt(Path archive) {
        try (DirectoryStream<Path> trainings = Files.newDirectoryStream(archive.getParent(),
                trainingPrefix(archive) + "*")) {
            for (Path training : trainings) {
                if (endedWell(training) && isArchive(training.resolve("archive.jsa"))) {
                    publish(training, archive);
                    LOG.info("class-data sharing archive adopted from an earlier launch's training: {}", archive);
                    return true;
                }
            }
        } catch (IOException e) {
            LOG.debug("no archive adopted: {}", e.getMessage());
        }
        return false;
    }

    /**
     * Puts a whole archive in place: its seal first, then the archive itself, each by an atomic rename; then
     * removes the archives of older builds of the app, and the training's directory.
     */
    private static void publish(Path training, Path archive) throws IOException {
        Path output = training.resolve("archive.jsa");
        Path seal = training.resolve("archive.crc32c");
        ArchiveSeal.write(output, seal);
        Files.move(seal, ArchiveSeal.of(archive), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(output, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        removeOlderArchives(archive);
        deleteTree(training);
    }

    private void closeControl() {
        if (controlOpen.compareAndSet(true, false)) {
            posix.closeQuietly(control);
        }
    }

    private void killTree() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Connects once the child listens and sends GET /; null once the child has answered and closed, else why not. */
    private String askOnce(Path socket, long deadline) throws IOException, InterruptedException {
        SocketChannel channel = null;
        while (channel == null) {
            if (!process.isAlive() || closed) {
                return "ended before it listened";
            }
            if (System.nanoTime() > deadline) {
                return "did not listen within " + DEADLINE_SECONDS + " s";
            }
            try {
                channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            } catch (IOException notYet) {
                Thread.sleep(20); // polling the child's bind: there is nothing to wait on
            }
        }
        try (SocketChannel connected = channel; Selector selector = Selector.open()) {
            ByteBuffer request = request();
            while (request.hasRemaining()) {
                connected.write(request);
            }
            connected.configureBlocking(false);
            connected.register(selector, SelectionKey.OP_READ);
            ByteBuffer sink = ByteBuffer.allocate(8192);
            while (System.nanoTime() < deadline) {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                selector.selectedKeys().clear();
                sink.clear();
                if (connected.read(sink) < 0) {
                    return null; // without FCGI_KEEP_CONN the child closes after END_REQUEST
                }
            }
            return "did not answer within " + DEADLINE_SECONDS + " s";
        }
    }

    /** BEGIN_REQUEST (responder, no keep-conn), the CGI variables of GET /, the ends of PARAMS and STDIN. */
    static ByteBuffer request() {
        List<NameValuePair> pairs = List.of(NameValuePair.of("REQUEST_METHOD", "GET"),
                NameValuePair.of("REQUEST_URI", "/"), NameValuePair.of("SCRIPT_NAME", "/"),
                NameValuePair.of("QUERY_STRING", ""), NameValuePair.of("SERVER_PROTOCOL", "HTTP/1.1"),
                NameValuePair.of("GATEWAY_INTERFACE", "CGI/1.1"), NameValuePair.of("SERVER_NAME", "localhost"),
                NameValuePair.of("REMOTE_ADDR", "127.0.0.1"));
        ByteBuffer params = ByteBuffer.allocate(pairs.stream().mapToInt(p -> (int) p.encodedLength()).sum());
        pairs.forEach(pair -> pair.writeTo(params));
        params.flip();
        ByteBuffer out = ByteBuffer.allocate(1024);
        RecordEncoder.encode(new BeginRequest(1, Role.RESPONDER, false), out);
        RecordEncoder.encode(new Params(1, params), out);
        RecordEncoder.encode(Params.endOfStream(1), out);
        RecordEncoder.encode(Stdin.endOfStream(1), out);
        return out.flip();
    }

    /** True when the training's last step, the dump, has exited with 0 (a killed or failed dump has another). */
    static boolean endedWell(Path training) {
        try {
            return Files.readString(training.resolve(ENDED), StandardCharsets.US_ASCII).trim().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    /** A whole static archive: its writer has exited, and HotSpot writes the header, with the magic, last. */
    static boolean isArchive(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && ByteBuffer.wrap(magic).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()
                    == ChildClassDataSharing.STATIC_ARCHIVE_MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    /** Archives of this app, JVM and command line for older builds of the app's files: HotSpot would refuse them. */
    private static void removeOlderArchives(Path archive) throws IOException {
        String name = archive.getFileName().toString();
        String sameSource = name.substring(0, name.lastIndexOf('-') + 1);
        try (DirectoryStream<Path> older = Files.newDirectoryStream(archive.getParent(), sameSource + "*.jsa")) {
            for (Path file : older) {
                if (!file.equals(archive)) {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(ArchiveSeal.of(file));
                }
            }
        }
    }

    /**
     * Directories of trainings whose launcher was killed: older than any training can live (timeout kills it), so
     * nothing uses them.
     */
    static void removeAbandoned(Path directory) throws IOException {
        long before = System.currentTimeMillis() - TimeUnit.SECONDS.toMillis(2 * DEADLINE_SECONDS);
        try (DirectoryStream<Path> trainings = Files.newDirectoryStream(directory, TRAINING_PREFIX + "*")) {
            for (Path training : trainings) {
                if (Files.getLastModifiedTime(training).toMillis() < before) {
                    deleteTree(training);
                }
            }
        }
    }

    private static String lastLine(Path output) {
        try (Stream<String> lines = Files.lines(output)) {
            return lines.filter(line -> !line.isBlank()).reduce((first, second) -> second).orElse("(no output)");
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(no output)";
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", directory, e.getMessage());
        }
    }
}
