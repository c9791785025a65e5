package credits.bootstrap;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The real service as a separate JVM ({@code Main} on the test classpath), so a test can kill it or
 * send it signals. Its output goes to {@code <data dir>-service.log} beside the data dir.
 */
final class ServiceProcess {

    private ServiceProcess() {
    }

    /** Starts the service on {@code port} with the embedded database in {@code dataDir}; returns once it answers. */
    static Process start(Path dataDir, int port, Map<String, String> extraEnv) throws IOException, InterruptedException {
        Process process = launch(dataDir, port, extraEnv);
        awaitReady(process, dataDir, port);
        return process;
    }

    /** Starts the service as {@link #start} does, and returns at once: before it answers, or even listens. */
    static Process launch(Path dataDir, int port, Map<String, String> extraEnv) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(dataDir).toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("CREDITS_"));
        env.put("CREDITS_DATA_DIR", dataDir.toString());
        env.put("CREDITS_PORT", Integer.toString(port));
        env.put("CREDITS_HOST", "127.0.0.1");
        env.put("CREDITS_JWT_HMAC_SECRET", TestSettings.SECRET);
        env.putAll(extraEnv);
        return builder.start();
    }

    /** The embedded PostgreSQL a service on {@code dataDir} started, if it is running (also after the service was killed). */
    static Optional<ProcessHandle> postmaster(Path dataDir) {
        try {
            Path pidFile = dataDir.resolve("postgres/postmaster.pid");
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Path log(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + "-service.log");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitReady(Process process, Path dataDir, int port) {
        ApiClient api = new ApiClient(port, TestSettings.SECRET);
        Awaitility.await("service ready on port " + port)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .failFast("service exited; see " + log(dataDir), () -> !process.isAlive())
                .ignoreExceptions() // not listening yet
                .until(() -> api.send(HttpRequest.newBuilder(api.uri("/api/billing/credits")).GET()).status() == 401);
    }
}
