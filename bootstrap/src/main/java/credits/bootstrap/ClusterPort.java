package credits.bootstrap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * Picks the embedded PostgreSQL's TCP port.
 *
 * <p>Zonky asks the kernel for a free port and closes it before PostgreSQL binds it. That port
 * comes from the ephemeral range, which the kernel also hands out as the source port of every
 * outgoing connection (HTTP clients, JDBC pools), so under load another socket can take it in
 * between: PostgreSQL then cannot bind, and the start waits for a server that never comes. A port
 * below the ephemeral range is never handed out that way, so only a program that binds it on
 * purpose can take it.
 */
final class ClusterPort {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;
    private static final int FALLBACK_EPHEMERAL_START = 32_768; // Linux's default
    private static final int ATTEMPTS = 100;

    private ClusterPort() {
    }

    /** A port that is free on the loopback addresses now and that the kernel will not hand out on its own. */
    static int choose(RandomGenerator random) throws IOException {
        int ephemeralStart = ephemeralStart().orElse(FALLBACK_EPHEMERAL_START);
        int highest = Math.max(LOWEST + 1, ephemeralStart);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = random.nextInt(LOWEST, highest);
            if (freeOnLoopback(port)) {
                return port;
            }
        }
        throw new IOException("No free port for the embedded PostgreSQL between " + LOWEST + " and " + highest);
    }

    private static OptionalInt ephemeralStart() {
        try {
            // One line, read as a line: procfs reports a size of 0, so a whole-file read may come back short.
            String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            return OptionalInt.of(Integer.parseInt(range[0]));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty(); // not Linux, or no /proc: the usual default
        }
    }

    private static boolean freeOnLoopback(int port) {
        for (InetAddress address : loopbackAddresses()) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true); // as PostgreSQL binds: a TIME_WAIT leftover does not block it
                socket.bind(new InetSocketAddress(address, port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static List<InetAddress> loopbackAddresses() {
        try {
            return List.of(InetAddress.getAllByName("localhost")); // what listen_addresses=localhost binds
        } catch (IOException e) {
            return List.of(InetAddress.getLoopbackAddress());
        }
    }
}
