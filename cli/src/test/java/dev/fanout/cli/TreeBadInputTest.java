package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * {@code fanout tree} and {@code fanout watch} refuse bad arguments before asking the API, and say what to do
 * when the API cannot be reached.
 */
class TreeBadInputTest {

    @Test
    void anUnreachableApiIsNamedWithTheWayToStartIt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String api = "http://127.0.0.1:" + closedPort;

        for (String command : new String[] {"tree", "watch"}) {
            CliRun run = CliRun.of(command, "ev-1", "--api", api);

            assertThat(run.exitCode()).as(command).isEqualTo(1);
            assertThat(run.err()).as(command).contains("cannot reach the Fanout API at " + api + " (connection refused)")
                    .contains("start the local stack with './fanout dev'").contains("--api");
        }
    }

    @Test
    void anApiThatIsNotAnHttpUrlIsRefused() {
        CliRun run = CliRun.of("tree", "ev-1", "--api", "localhost:8080");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--api 'localhost:8080' is not an http(s) URL with a host")
                .contains("such as http://localhost:8080");
    }

    @Test
    void anApiWithSpacesIsNotAUrl() {
        CliRun run = CliRun.of("watch", "ev-1", "--api", "http://local host");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--api 'http://local host' is not a URL");
    }

    @Test
    void depthAndMaxChildrenMustBePositive() {
        CliRun depth = CliRun.of("tree", "ev-1", "--depth", "0");
        CliRun width = CliRun.of("tree", "ev-1", "--max-children", "-5");

        assertThat(depth.exitCode()).isEqualTo(1);
        assertThat(depth.err()).contains("--depth 0 must be at least 1");
        assertThat(width.exitCode()).isEqualTo(1);
        assertThat(width.err()).contains("--max-children -5 must be at least 1");
    }

    @Test
    void watchRefusesAnIntervalThatWouldHammerTheApi() {
        CliRun run = CliRun.of("watch", "ev-1", "--interval", "10");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--interval 10 is too short; give at least 100 ms");
    }

    @Test
    void aBlankTreeIdIsRefused() {
        CliRun run = CliRun.of("tree", " ");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("TREE_ID is empty; give the event_id of the tree's root event");
    }

    @Test
    void aMissingTreeIdShowsUsage() {
        CliRun run = CliRun.of("watch");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter: 'TREE_ID'").contains("Usage: fanout watch");
    }
}
