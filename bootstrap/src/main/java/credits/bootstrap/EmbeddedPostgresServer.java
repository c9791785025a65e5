package credits.bootstrap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The default database: a real PostgreSQL 18 whose cluster lives in {@code <data dir>/postgres}
 * and survives restarts.
 *
 * <p>Surviving {@code kill -9} is the hard part. {@code pg_ctl} daemonises the postmaster, so when
 * the JVM dies the old postmaster may still run on the cluster, or leave its {@code postmaster.pid}
 * behind. Both are cleared before starting. Doing that is only safe when no live service owns the
 * directory, so the service holds an OS file lock on it for its lifetime; the kernel drops the lock
 * when the process dies, however it dies.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedPostgresServer.class.getName());
    private static final String OWNER_LOCK = "credits.lock";
    private static final String CLUSTER_DIR = "postgres";
    // Written after the first successful start: a cluster without it never finished initdb.
    private static final String INITIALISED_MARKER = ".credits-initialised";
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(20);

    private final Path dataDir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final int port;
    private volatile EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDir, EmbeddedPostgres postgres, FileChannel lockChannel, FileLock lock) {
        this.dataDir = dataDir;
        this.postgres = postgres;
        this.port = postgres.getPort();
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    static EmbeddedPostgresServer start(Path dataDir) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(dataDir.resolve(OWNER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("Another credits service is running on data dir " + dataDir
                        + "; stop it or choose another CREDITS_DATA_DIR");
            }
            Path cluster = dataDir.resolve(CLUSTER_DIR);
            stopOrphanedPostmaster(cluster);
            discardUnfinishedCluster(cluster);
            EmbeddedPostgres postgres = builder(dataDir).start();
            Files.writeString(cluster.resolve(INITIALISED_MARKER), "ok\n");
            return new EmbeddedPostgresServer(dataDir, postgres, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static EmbeddedPostgres.Builder builder(Path dataDir) {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve(CLUSTER_DIR))
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false) // closed by the service, after the pool
                .setPGStartupWait(Duration.ofSeconds(60))
                // Zonky defaults trade durability for test speed; money needs committed = on disk.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("max_connections", "100")
                .setServerConfig("logging_collector", "off")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("postgres.log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve("postgres.log").toFile()));
    }

    /** Stops PostgreSQL (fast shutdown) while the service keeps running: an outage, for tests. */
    void stopForTest() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the same cluster again on the same port after {@link #stopForTest()}, as a database that comes back. */
    void startForTest() {
        try {
            postgres = builder(dataDir).setPort(port).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    String user() {
        return "postgres";
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            postgres.close(); // pg_ctl stop -m fast: a clean shutdown checkpoint
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        } finally {
            try {
                lock.release();
            } catch (IOException ignored) {
                // the channel close below releases it too
            }
            closeQuietly(lockChannel);
        }
    }

    /**
     * The marker is written only after a start succeeded, and nothing is stored before that; a
     * cluster without it is what a start killed during initdb leaves, which would never start.
     */
    private static void discardUnfinishedCluster(Path cluster) throws IOException {
        if (Files.isDirectory(cluster) && !Files.exists(cluster.resolve(INITIALISED_MARKER))) {
            LOG.log(Level.WARNING, "Removing unfinished PostgreSQL cluster at " + cluster + " (its first start never completed)");
            deleteRecursively(cluster);
        }
    }

    /**
     * Stops a postmaster left running on this cluster by a killed service, or removes the pid
     * file of one that is gone. We hold the owner lock, so whatever runs there is an orphan.
     */
    private static void stopOrphanedPostmaster(Path cluster) throws IOException {
        Path pidFile = cluster.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> postmaster = readPid(pidFile).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(EmbeddedPostgresServer::isPostgres);
        if (postmaster.isEmpty()) {
            LOG.log(Level.INFO, "Removing stale postmaster.pid left by a stopped PostgreSQL");
            Files.deleteIfExists(pidFile);
            return;
        }
        ProcessHandle orphan = postmaster.get();
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
        Files.deleteIfExists(pidFile);
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(command -> command.endsWith("/postgres") || command.endsWith("postgres"))
                .orElse(false);
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

    private static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // best effort on a failed start
            }
        }
    }
}
