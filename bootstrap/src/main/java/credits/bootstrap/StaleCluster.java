package credits.bootstrap;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a killed service may leave in the embedded cluster's directory, and how it is cleared
 * without ever harming data or another process: a postmaster still running on the cluster is
 * stopped only once it is proven to be this cluster's; a pid file of anything else is stale; a
 * cluster that finished initdb is never deleted, and one that did not is moved aside, not deleted.
 *
 * <p>Only safe while the service holds the data dir's owner lock (see {@link EmbeddedPostgresServer}).
 */
final class StaleCluster {

    private static final System.Logger LOG = System.getLogger(StaleCluster.class.getName());
    /** Written, durably, after the first successful start. */
    static final String INITIALISED_MARKER = ".credits-initialised";
    private static final String PID_FILE = "postmaster.pid";
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(20);
    // postmaster.pid holds the start time in whole seconds; the kernel's is in clock ticks.
    private static final Duration START_TIME_TOLERANCE = Duration.ofSeconds(2);
    private static final String DELETED_SUFFIX = " (deleted)";
    private static final DateTimeFormatter ASIDE_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private StaleCluster() {
    }

    /**
     * Stops a postmaster a killed service left running on this cluster, or removes the pid file of
     * one that is gone. A live process under the pid that is not this cluster's postmaster (after a
     * reboot the pid may belong to anything, another PostgreSQL included) is never signalled.
     */
    static void stopOrphanedPostmaster(Path cluster) throws IOException {
        Path pidFile = cluster.resolve(PID_FILE);
        Optional<PidFile> recorded = PidFile.read(pidFile);
        if (recorded.isEmpty()) {
            Files.deleteIfExists(pidFile);
            return;
        }
        Optional<ProcessHandle> live = ProcessHandle.of(recorded.get().pid()).filter(ProcessHandle::isAlive);
        if (live.isEmpty()) {
            LOG.log(Level.INFO, "Removing stale postmaster.pid left by a stopped PostgreSQL");
            Files.deleteIfExists(pidFile);
            return;
        }
        if (!isPostmasterOf(live.get(), recorded.get(), cluster)) {
            LOG.log(Level.WARNING, "Removing stale postmaster.pid: its pid " + live.get().pid()
                    + " now belongs to another process, which is left alone");
            Files.deleteIfExists(pidFile);
            return;
        }
        stop(live.get());
        Files.deleteIfExists(pidFile);
    }

    /**
     * A cluster without the marker is either one whose marker was lost (it has
     * {@code global/pg_control}: initdb finished, so it may hold money; keep it and write the marker
     * again) or one a start killed during initdb left behind (moved aside, never deleted, so nothing
     * is lost even if that judgement were wrong).
     */
    static void setAsideUnfinished(Path cluster, Clock clock) throws IOException {
        if (!Files.isDirectory(cluster) || Files.exists(cluster.resolve(INITIALISED_MARKER))) {
            return;
        }
        if (Files.exists(cluster.resolve("global").resolve("pg_control"))) {
            LOG.log(Level.WARNING, "The PostgreSQL cluster at " + cluster + " has lost its " + INITIALISED_MARKER
                    + " marker but is complete; keeping it and writing the marker again");
            markInitialised(cluster);
            return;
        }
        Path aside = cluster.resolveSibling(cluster.getFileName() + ".unfinished-" + ASIDE_STAMP.format(clock.instant()));
        Files.move(cluster, aside, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(aside.getParent());
        LOG.log(Level.WARNING, "Moved the unfinished PostgreSQL cluster (its first start never completed) aside to "
                + aside + "; a new one is created in its place");
    }

    /** Writes the marker so that it survives a power cut: the file and its directory are synced. */
    static void markInitialised(Path cluster) throws IOException {
        Path marker = cluster.resolve(INITIALISED_MARKER);
        try (FileChannel file = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            file.write(StandardCharsets.US_ASCII.encode("ok\n"));
            file.force(true);
        }
        syncDirectory(cluster);
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /**
     * Whether the process is the postmaster of this cluster. The executable must be {@code postgres}
     * (shown with " (deleted)" when its extracted binaries were removed). Then, where the kernel shows
     * it (Linux), its working directory must be the cluster: a postmaster runs in its data directory,
     * so this names the cluster it owns. Elsewhere the pid file's data directory and start time must
     * both match the process.
     */
    static boolean isPostmasterOf(ProcessHandle process, PidFile recorded, Path cluster) {
        if (!process.info().command().map(StaleCluster::isPostgresExecutable).orElse(false)) {
            return false;
        }
        Optional<Path> workingDirectory = workingDirectory(process.pid());
        if (workingDirectory.isPresent()) {
            return sameFile(workingDirectory.get(), cluster);
        }
        boolean sameDataDir = sameFile(recorded.dataDirectory(), cluster);
        boolean sameStart = process.info().startInstant()
                .map(started -> Duration.between(started, recorded.startedAt()).abs().compareTo(START_TIME_TOLERANCE) <= 0)
                .orElse(false);
        return sameDataDir && sameStart;
    }

    static boolean isPostgresExecutable(String command) {
        String path = command.endsWith(DELETED_SUFFIX) ? command.substring(0, command.length() - DELETED_SUFFIX.length()) : command;
        Path name = Path.of(path).getFileName();
        return name != null && name.toString().equals("postgres");
    }

    private static Optional<Path> workingDirectory(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static void stop(ProcessHandle orphan) {
        LOG.log(Level.WARNING, "Stopping orphaned embedded PostgreSQL (pid " + orphan.pid() + ") left by a killed service");
        List<ProcessHandle> children = orphan.descendants().toList();
        orphan.destroy(); // SIGTERM: smart shutdown; the dead JVM's sessions are already gone
        if (!awaitExit(orphan, ORPHAN_STOP_WAIT)) {
            // Last resort. PostgreSQL recovers from its WAL on the next start: nothing committed is lost.
            children.forEach(ProcessHandle::destroyForcibly);
            orphan.destroyForcibly();
            awaitExit(orphan, Duration.ofSeconds(10));
        }
        children.forEach(child -> awaitExit(child, Duration.ofSeconds(5)));
        if (orphan.isAlive()) {
            throw new IllegalStateException("Could not stop the orphaned PostgreSQL (pid " + orphan.pid() + ")");
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The first lines of {@code postmaster.pid}: the pid, the data directory, the start time (Unix seconds). */
    record PidFile(long pid, Path dataDirectory, Instant startedAt) {

        static Optional<PidFile> read(Path file) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.size() < 3) {
                    return Optional.empty();
                }
                return Optional.of(new PidFile(Long.parseLong(lines.get(0).trim()), Path.of(lines.get(1).trim()),
                        Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim()))));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
