package credits.bootstrap;

import credits.bootstrap.logging.Logging;
import sun.misc.Signal;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar credits-service.jar} serves; {@code … token --user alice} mints a dev token;
 * {@code … reconcile} checks the stored ledger.
 */
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
        if (args.length > 0 && args[0].equals("reconcile")) {
            // Only warnings on stderr (starting an embedded PostgreSQL says a lot); stdout is the report.
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
            System.exit(ReconcileCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
        }
        if (args.length > 0) {
            System.err.println("usage: credits-service [token --user ID [--scope SCOPE]... [--ttl SECONDS] | reconcile [--user ID] [--json]]");
            System.exit(2);
        }
        Map<String, String> env = System.getenv();
        Logging.configure(Settings.logFormat(env));
        long started = System.nanoTime();
        CreditsServer server;
        CountDownLatch stopRequested = new CountDownLatch(1);
        try {
            Settings settings = Settings.load(env);
            server = CreditsServer.start(settings);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "credits-shutdown"));
            stopOnSignals(stopRequested);
            LOG.log(Level.INFO, "Credits service ready in " + (System.nanoTime() - started) / 1_000_000 + " ms: http://localhost:"
                    + server.port() + "/api/billing/credits, store " + server.storeDescription() + ", data dir " + settings.dataDir()
                    + ", shutdown grace " + settings.shutdownGrace().toSeconds() + " s");
        } catch (RuntimeException e) {
            // Configuration and start-up problems are the operator's to fix: say what, without a stack.
            LOG.log(Level.ERROR, "Credits service could not start: " + e.getMessage());
            LOG.log(Level.DEBUG, "Start-up failure", e);
            Logging.flush();
            System.exit(1);
            return;
        }
        // The main thread owns the shutdown. It must stay alive until then: once the web server's
        // threads stop, no other non-daemon thread is left, and the JVM would begin to exit (and JUL
        // to close its handlers) in the middle of the orderly stop.
        awaitUninterruptibly(stopRequested);
        long stopping = System.nanoTime();
        server.close();
        LOG.log(Level.INFO, "Credits service stopped in " + (System.nanoTime() - stopping) / 1_000_000 + " ms");
        Logging.flush();
        System.exit(0);
    }

    /**
     * SIGTERM (what orchestrators send) and SIGINT (Ctrl-C) ask the main thread to stop the service
     * in order and exit 0. A JVM left to its default handling would run the same shutdown hook but
     * exit 143, which supervisors read as a crash, and JUL's own shutdown hook would close the log
     * handlers while the service is still logging its stop. The shutdown hook stays for every other
     * way the JVM may end, and finds the work already done when it runs after this.
     */
    private static void stopOnSignals(CountDownLatch stopRequested) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (stopRequested.getCount() > 0) {
                        LOG.log(Level.INFO, "SIG" + name + " received: draining in-flight requests, then stopping");
                        stopRequested.countDown();
                    }
                });
            } catch (IllegalArgumentException unsupported) {
                // A platform or a -Xrs JVM without this signal: the shutdown hook still stops in order.
            }
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
