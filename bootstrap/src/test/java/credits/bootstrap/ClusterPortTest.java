package credits.bootstrap;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

class ClusterPortTest {

    @Test
    void theChosenPortIsBelowTheRangeTheKernelHandsToOutgoingConnections() throws IOException {
        int ephemeralStart = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).split("\\s+")[0]);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 50; i++) {
            int port = ClusterPort.choose(random);
            assertThat(port, greaterThanOrEqualTo(10_000));
            assertThat(port, lessThan(ephemeralStart));
        }
    }

    @Test
    void aPortSomeoneListensOnIsNeverChosen() throws IOException {
        int seed = 7;
        int first = ClusterPort.choose(new SplittableRandom(seed));
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), first));
            int second = ClusterPort.choose(new SplittableRandom(seed)); // same draws: must skip the taken one
            assertThat(second, not(first));
        }
    }
}
