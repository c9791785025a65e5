package credits.bootstrap;

import io.helidon.logging.common.LogConfig;

import java.lang.System.Logger.Level;
import java.util.Arrays;

/** {@code java -jar credits-service.jar} serves; {@code … token --user alice} mints a dev token. */
public final class Main {

    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        // Logs, like the API, speak UTC.
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
        if (args.length > 0 && args[0].equals("token")) {
            System.exit(TokenCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
        }
        if (args.length > 0) {
            System.err.println("usage: credits-service [token --user ID [--scope SCOPE]... [--ttl SECONDS]]");
            System.exit(2);
        }
        LogConfig.configureRuntime();
        long started = System.nanoTime();
        CreditsServer server;
        try {
            Settings settings = Settings.load(System.getenv());
            server = CreditsServer.start(settings);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "credits-shutdown"));
            LOG.log(Level.INFO, "Credits service ready in " + (System.nanoTime() - started) / 1_000_000 + " ms: http://localhost:"
                    + server.port() + "/api/billing/credits, store " + server.storeDescription() + ", data dir " + settings.dataDir());
        } catch (RuntimeException e) {
            // Configuration and start-up problems are the operator's to fix: say what, without a stack.
            LOG.log(Level.ERROR, "Credits service could not start: " + e.getMessage());
            LOG.log(Level.DEBUG, "Start-up failure", e);
            System.exit(1);
        }
    }
}
