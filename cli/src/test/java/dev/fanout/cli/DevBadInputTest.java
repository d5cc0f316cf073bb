package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fanout dev} checks its ports before it starts anything, as the demo does, and names every taken
 * port with the option that moves it.
 */
class DevBadInputTest {

    @TempDir
    Path dir;

    @Test
    void everyTakenPortIsNamedWithTheOptionThatMovesItBeforeAnythingStarts() throws Exception {
        try (ServerSocket kafka = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                ServerSocket http = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            CliRun run = CliRun.of("dev", "--data-dir", dir.resolve("d").toString(),
                    "--kafka-port", Integer.toString(kafka.getLocalPort()), "--registry-port", "0",
                    "--http-port", Integer.toString(http.getLocalPort()));

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err())
                    .contains("the dev stack cannot start: Kafka broker port " + kafka.getLocalPort()
                            + " on 127.0.0.1 is in use")
                    .contains("give --kafka-port another port (0: any free one)")
                    .contains("query API and web page port " + http.getLocalPort() + " on 127.0.0.1 is in use")
                    .contains("give --http-port another port");
            assertThat(run.out()).doesNotContain("Starting the Fanout dev stack");
            assertThat(dir.resolve("d")).as("nothing was started or created").doesNotExist();
        }
    }

    @Test
    void theHelpNamesTheRegistryAndTheTopicsApart() {
        CliRun run = CliRun.of("dev", "--help");

        assertThat(run.out().replaceAll("\\s+", " ")).contains("the Schema Registry, the contract's topics, the topology");
    }
}
