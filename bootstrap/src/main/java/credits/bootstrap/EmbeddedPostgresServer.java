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
import java.sql.Connection;
import java.sql.SQLException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The default database: a real PostgreSQL 18 whose cluster lives in {@code <data dir>/postgres}
 * and survives restarts.
 *
 * <p>Surviving {@code kill -9} is the hard part. {@code pg_ctl} daemonises the postmaster, so when
 * the JVM dies the old postmaster may still run on the cluster, or leave its {@code postmaster.pid}
 * behind. Both are cleared before starting. Doing that is only safe when no live service owns the
 * directory, so the service holds an OS file lock on it for its lifetime; the kernel drops the lock
 * when the process dies, however it dies.
 *
 * <p>No connection gets in without a password ({@link EmbeddedAccess}): the service's pool connects
 * as a runtime role that is not a superuser and owns nothing, the migrations run as the schema
 * owner, and the passwords live owner-only in the data dir ({@link EmbeddedCredentials}).
 */
final class EmbeddedPostgresServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedPostgresServer.class.getName());
    private static final String OWNER_LOCK = "credits.lock";
    private static final String CLUSTER_DIR = "postgres";
    private static final String STARTUP_LOG = "postgres-startup.log";
    private static final Duration LOG_PRUNE_INTERVAL = Duration.ofMinutes(1);
    private static final int STARTUP_LOG_TAIL_LINES = 8;
    private static final RandomGenerator RANDOM = new SecureRandom();

    private final Path dataDir;
    private final EmbeddedCredentials credentials;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final int port;
    private final ScheduledExecutorService logPruner;
    private volatile EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDir, EmbeddedPostgres postgres, EmbeddedCredentials credentials,
                                   FileChannel lockChannel, FileLock lock) {
        this.dataDir = dataDir;
        this.postgres = postgres;
        this.credentials = credentials;
        this.port = postgres.getPort();
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.logPruner = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "postgres-log-pruner");
            thread.setDaemon(true);
            return thread;
        });
        logPruner.scheduleWithFixedDelay(this::pruneLogs, 0, LOG_PRUNE_INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    static EmbeddedPostgresServer start(Path dataDir) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(dataDir.resolve(OWNER_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException heldHere) {
                lock = null; // this JVM runs the service already (a tool started inside it, or a test)
            }
            if (lock == null) {
                throw new DataDirInUseException(dataDir);
            }
            Path cluster = dataDir.resolve(CLUSTER_DIR);
            StaleCluster.stopOrphanedPostmaster(cluster);
            StaleCluster.setAsideUnfinished(cluster, Clock.systemUTC());
            prepareStartupLog(dataDir);
            EmbeddedCredentials credentials = credentials(dataDir, cluster);
            EmbeddedPostgres postgres = startLockedDown(dataDir, cluster, credentials);
            StaleCluster.markInitialised(cluster);
            return new EmbeddedPostgresServer(dataDir, postgres, credentials, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * A locked-down cluster opens only with the passwords it was given; a new one, or one made by an
     * earlier version (which trusted every local connection), gets new passwords.
     */
    private static EmbeddedCredentials credentials(Path dataDir, Path cluster) throws IOException {
        Optional<EmbeddedCredentials> stored = EmbeddedCredentials.load(dataDir);
        if (stored.isPresent()) {
            return stored.get();
        }
        if (EmbeddedAccess.lockedDown(cluster)) {
            throw new IllegalStateException("The embedded PostgreSQL in " + cluster + " requires passwords, but "
                    + dataDir.resolve(EmbeddedCredentials.FILE_NAME) + " is missing; restore it from the backup of this data dir");
        }
        return EmbeddedCredentials.create(dataDir);
    }

    /**
     * Starts the cluster such that no connection gets in without a password. A new cluster never
     * trusts anyone: initdb gives the superuser its password and writes SCRAM rules. A cluster made by
     * an earlier version still trusts local connections, as it always did: it is started once as it
     * is (listening on localhost only), given its roles and passwords, stopped, and locked down before
     * it starts again. Every start then makes sure the roles and ownership are as they should be.
     */
    private static EmbeddedPostgres startLockedDown(Path dataDir, Path cluster, EmbeddedCredentials credentials)
            throws IOException {
        boolean fresh = !Files.exists(cluster.resolve("postgresql.conf")); // what zonky runs initdb on
        if (!fresh && !EmbeddedAccess.lockedDown(cluster)) {
            // The one start with trust left: the cluster has trusted local connections for its whole
            // life, and this start exposes nothing new (localhost only, as before); it ends once the
            // superuser has its password, and the next start reads our pg_hba.conf.
            LOG.log(Level.INFO, "Locking down the embedded PostgreSQL made by an earlier version: passwords and roles");
            try (EmbeddedPostgres trusting = start(dataDir, builder(dataDir, credentials).setDataDirectoryCustomizer(null))) {
                provision(trusting, credentials);
            }
        }
        Path passwordFile = dataDir.resolve(".postgres-superuser-password");
        try {
            EmbeddedPostgres.Builder builder = builder(dataDir, credentials);
            if (fresh) {
                OwnerOnlyFiles.write(passwordFile, credentials.superuser() + "\n");
                // Zonky passes these to initdb as --auth=... --pwfile=..., after its own "-A trust",
                // so they win: the superuser has a password from the first instant, no rule is trust.
                builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", passwordFile.toString());
            }
            EmbeddedPostgres started = start(dataDir, builder);
            try {
                provision(started, credentials);
            } catch (RuntimeException e) {
                closeQuietly(started);
                throw e;
            }
            return started;
        } finally {
            Files.deleteIfExists(passwordFile);
        }
    }

    /** Starts on a port no outgoing connection can take meanwhile ({@link ClusterPort}); a failure says why. */
    private static EmbeddedPostgres start(Path dataDir, EmbeddedPostgres.Builder builder) throws IOException {
        try {
            return builder.setPort(ClusterPort.choose(RANDOM)).start();
        } catch (IOException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException(e.getMessage() + " (last error: " + cause.getMessage() + "); what PostgreSQL printed: "
                    + startupLogTail(dataDir), e);
        }
    }

    private static String startupLogTail(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve(STARTUP_LOG));
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - STARTUP_LOG_TAIL_LINES), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(" + STARTUP_LOG + " unreadable: " + e.getMessage() + ")";
        }
    }

    private static void provision(EmbeddedPostgres postgres, EmbeddedCredentials credentials) {
        try (Connection superuser = postgres.getPostgresDatabase().getConnection()) {
            EmbeddedAccess.provision(superuser, credentials);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set up the embedded PostgreSQL's roles: " + e.getMessage(), e);
        }
    }

    private static EmbeddedPostgres.Builder builder(Path dataDir, EmbeddedCredentials credentials) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve(CLUSTER_DIR))
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false) // closed by the service, after the pool
                .setPGStartupWait(Duration.ofSeconds(60))
                // Zonky's readiness check connects as postgres with these properties.
                .setConnectConfig("password", credentials.superuser())
                // Before every start, after initdb on a new cluster: only password logins.
                .setDataDirectoryCustomizer(cluster -> lockDown(cluster.toPath()))
                // Zonky defaults trade durability for test speed; money needs committed = on disk.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("max_connections", "100")
                .setServerConfig("password_encryption", "scram-sha-256")
                // What initdb and pg_ctl print (the server's own log goes to ServerLogs.DIRECTORY).
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve(STARTUP_LOG).toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolve(STARTUP_LOG).toFile()));
        ServerLogs.SETTINGS.forEach(builder::setServerConfig);
        return builder;
    }

    private static void lockDown(Path cluster) {
        try {
            EmbeddedAccess.lockDown(cluster);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + cluster.resolve("pg_hba.conf"), e);
        }
    }

    /**
     * The output of initdb and pg_ctl, a few lines per start: emptied at every service start so it
     * stays small, owner-only. The log earlier versions appended to forever is made owner-only too.
     */
    private static void prepareStartupLog(Path dataDir) throws IOException {
        OwnerOnlyFiles.truncate(dataDir.resolve(STARTUP_LOG));
        Path oldLog = dataDir.resolve("postgres.log");
        if (Files.exists(oldLog)) {
            OwnerOnlyFiles.restrict(oldLog);
        }
    }

    private void pruneLogs() {
        try {
            ServerLogs.prune(dataDir.resolve(CLUSTER_DIR).resolve(ServerLogs.DIRECTORY), ServerLogs.KEPT_FILES);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not prune the embedded PostgreSQL's log files: " + e.getMessage());
        }
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
            postgres = builder(dataDir, credentials).setPort(port).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String jdbcUrl() {
        return jdbcUrl(port);
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://localhost:" + port + "/" + EmbeddedAccess.DATABASE;
    }

    /** Another live service holds the data dir (and runs its PostgreSQL). */
    static final class DataDirInUseException extends IllegalStateException {
        DataDirInUseException(Path dataDir) {
            super("Another credits service is running on data dir " + dataDir + "; stop it or choose another CREDITS_DATA_DIR");
        }
    }

    /** Whether {@code dataDir} holds a cluster at all (an operator's tool must not make one where there is none). */
    static boolean hasCluster(Path dataDir) {
        return Files.exists(dataDir.resolve(CLUSTER_DIR).resolve("PG_VERSION"));
    }

    /**
     * The JDBC URL of the PostgreSQL another service runs on {@code dataDir}, from its
     * {@code postmaster.pid} (whose fourth line is the port), for tools that read while it runs.
     */
    static String runningJdbcUrl(Path dataDir) throws IOException {
        List<String> pid = Files.readAllLines(dataDir.resolve(CLUSTER_DIR).resolve("postmaster.pid"));
        if (pid.size() < 4 || !pid.get(3).trim().matches("[0-9]{1,5}")) {
            throw new IOException("the embedded PostgreSQL's postmaster.pid names no port");
        }
        return jdbcUrl(Integer.parseInt(pid.get(3).trim()));
    }

    /** The runtime role's password on the cluster in {@code dataDir}. */
    static String runtimePassword(Path dataDir) throws IOException {
        return EmbeddedCredentials.load(dataDir)
                .orElseThrow(() -> new IOException(dataDir.resolve(EmbeddedCredentials.FILE_NAME) + " is missing"))
                .runtime();
    }

    /** The runtime role the service's pool connects as. */
    String user() {
        return EmbeddedAccess.RUNTIME;
    }

    String password() {
        return credentials.runtime();
    }

    /** The role that owns the schema and runs the migrations. */
    String migrationUser() {
        return EmbeddedAccess.OWNER;
    }

    String migrationPassword() {
        return credentials.owner();
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        logPruner.shutdownNow();
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
