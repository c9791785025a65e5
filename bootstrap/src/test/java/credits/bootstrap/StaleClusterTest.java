package credits.bootstrap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * What a crash leaves behind is cleared without harming anything: another process under a stale
 * pid is never signalled, and a cluster is never deleted, whether its marker is lost or its initdb
 * never finished.
 */
class StaleClusterTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path elsewhere;

    private Process impostor;

    @AfterEach
    void stopImpostor() {
        if (impostor != null) {
            impostor.destroyForcibly();
        }
    }

    @Test
    void aProcessNamedPostgresUnderAStalePidIsLeftAloneAndTheServiceStarts() throws Exception {
        grantAndStop("stale_pid_user", "12.5");
        // After a reboot the pid in the file belongs to some other program that happens to be
        // called postgres; the file even names this cluster and that program's start time.
        Path fakePostgres = elsewhere.resolve("bin/postgres");
        Files.createDirectories(fakePostgres.getParent());
        Files.copy(Path.of("/bin/sleep"), fakePostgres, StandardCopyOption.COPY_ATTRIBUTES);
        impostor = new ProcessBuilder(fakePostgres.toString(), "300").directory(elsewhere.toFile()).start();
        long startedAt = impostor.toHandle().info().startInstant().orElseThrow().getEpochSecond();
        Path cluster = dataDir.resolve("postgres");
        Files.writeString(cluster.resolve("postmaster.pid"),
                impostor.pid() + "\n" + cluster.toRealPath() + "\n" + startedAt + "\n5432\n");

        try (CreditsServer restarted = CreditsServer.start(TestSettings.embedded(dataDir))) {
            assertThat(balanceOf(restarted, "stale_pid_user"), is("12.50"));
        }

        assertThat("the other process was never signalled", impostor.isAlive(), is(true));
    }

    @Test
    void aCompleteClusterWhoseMarkerWasLostKeepsEveryRow() throws Exception {
        grantAndStop("marker_user", "40");
        Path marker = dataDir.resolve("postgres").resolve(StaleCluster.INITIALISED_MARKER);
        Files.delete(marker);

        try (CreditsServer restarted = CreditsServer.start(TestSettings.embedded(dataDir))) {
            ApiClient api = new ApiClient(restarted.port(), TestSettings.SECRET);
            assertThat(api.getAs("marker_user", "/api/billing/credits").text("balance_usdc"), is("40.00"));
            assertThat(api.getAs("marker_user", "/api/billing/credits/transactions").status(), is(200));
        }
        assertThat("the marker is written again", Files.exists(marker), is(true));
    }

    @Test
    void anUnfinishedClusterIsMovedAsideNotDeleted() throws Exception {
        // What a start killed during initdb leaves: some files, no global/pg_control.
        Path cluster = dataDir.resolve("postgres");
        Files.createDirectories(cluster.resolve("base"));
        Files.writeString(cluster.resolve("PG_VERSION"), "18\n");
        Files.writeString(cluster.resolve("base/leftover"), "half-written\n");

        try (CreditsServer started = CreditsServer.start(TestSettings.embedded(dataDir))) {
            assertThat(balanceOf(started, "fresh_user"), is("0.00"));
        }

        List<Path> aside;
        try (Stream<Path> entries = Files.list(dataDir)) {
            aside = entries.filter(path -> path.getFileName().toString().startsWith("postgres.unfinished-")).toList();
        }
        assertThat(aside, hasSize(1));
        assertThat(Files.readString(aside.getFirst().resolve("base/leftover")), is("half-written\n"));
    }

    @Test
    void theExecutableOfAPostmasterWhoseBinariesWereRemovedStillCountsAsPostgres() {
        assertThat(StaleCluster.isPostgresExecutable("/tmp/embedded-pg/PG-1/bin/postgres (deleted)"), is(true));
        assertThat(StaleCluster.isPostgresExecutable("/usr/lib/postgresql/18/bin/postgres"), is(true));
        assertThat(StaleCluster.isPostgresExecutable("/usr/bin/not-postgres"), is(false));
        assertThat(StaleCluster.isPostgresExecutable("/usr/bin/postgres-exporter"), is(false));
    }

    @Test
    void aPidFileThatCannotBeReadIsStale() throws IOException {
        Path file = elsewhere.resolve("postmaster.pid");
        Files.writeString(file, "not a pid\n");

        assertThat(StaleCluster.PidFile.read(file).isPresent(), is(false));
        Files.writeString(file, "123\n/data/postgres\n" + Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() + "\n");
        assertThat(StaleCluster.PidFile.read(file).orElseThrow(),
                is(new StaleCluster.PidFile(123, Path.of("/data/postgres"), Instant.parse("2026-01-01T00:00:00Z"))));
    }

    private void grantAndStop(String user, String amount) {
        try (CreditsServer first = CreditsServer.start(TestSettings.embedded(dataDir))) {
            assertThat(new ApiClient(first.port(), TestSettings.SECRET).grant(user, amount).status(), is(201));
        }
    }

    private static String balanceOf(CreditsServer server, String user) {
        return new ApiClient(server.port(), TestSettings.SECRET).getAs(user, "/api/billing/credits").text("balance_usdc");
    }
}
