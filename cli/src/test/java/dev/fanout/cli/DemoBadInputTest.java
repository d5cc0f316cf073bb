package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fanout demo} refuses what it cannot run with before it starts anything, naming the option, the
 * value and the fix: a taken port, a folder of repositories that is not there, a data directory that is not
 * its own, and options out of range.
 */
class DemoBadInputTest {

    private static final String REPOS = Path.of("..", "examples", "repos").toString();

    @TempDir
    Path dir;

    @Test
    void aTakenPortIsNamedWithTheOptionThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            CliRun run = CliRun.of("demo", "--exit-when-done", "--repos", REPOS, "--data-dir", dir.resolve("d").toString(),
                    "--kafka-port", "0", "--registry-port", "0", "--http-port", Integer.toString(port));

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("the demo did not start: web page and query API port " + port
                    + " on 127.0.0.1 is in use (a running './fanout dev' takes 9092, 8081 and 8080)")
                    .contains("give --http-port another port (0: any free one)");
            assertThat(dir.resolve("d")).as("nothing was started or created").doesNotExist();
        }
    }

    @Test
    void everyTakenPortIsNamedAtOnce() throws Exception {
        try (ServerSocket kafka = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                ServerSocket registry = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            CliRun run = CliRun.of("demo", "--repos", REPOS, "--data-dir", dir.resolve("d").toString(),
                    "--kafka-port", Integer.toString(kafka.getLocalPort()),
                    "--registry-port", Integer.toString(registry.getLocalPort()), "--http-port", "0");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("Kafka broker port " + kafka.getLocalPort() + " on 127.0.0.1 is in use")
                    .contains("give --kafka-port another port")
                    .contains("Schema Registry port " + registry.getLocalPort() + " on 127.0.0.1 is in use")
                    .contains("give --registry-port another port");
        }
    }

    @Test
    void aMissingRepositoriesFolderSaysWhereToRunFrom() {
        CliRun run = CliRun.of("demo", "--repos", dir.resolve("nowhere").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--repos " + dir.resolve("nowhere") + ": no such directory")
                .contains("run ./fanout demo from the root of the Fanout checkout, where examples/repos is, or give --repos DIR");
    }

    @Test
    void aDataDirectoryThatIsNotTheDemosOwnIsNeverEmptied() throws Exception {
        Path someone = Files.createDirectories(dir.resolve("someone"));
        Files.writeString(someone.resolve("notes.txt"), "keep me");

        CliRun run = CliRun.of("demo", "--repos", REPOS, "--data-dir", someone.toString(),
                "--kafka-port", "0", "--registry-port", "0", "--http-port", "0");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--data-dir " + someone.toAbsolutePath() + " is not empty and was not made by "
                + "'fanout demo'").contains("give a new or empty one, such as .fanout/demo");
        assertThat(someone.resolve("notes.txt")).hasContent("keep me");
    }

    @Test
    void theDemoNeedsItsWebPageAndAPositiveTimeout() {
        CliRun noWeb = CliRun.of("demo", "--repos", REPOS, "--http-port", "-1");
        CliRun noTime = CliRun.of("demo", "--repos", REPOS, "--timeout", "0");

        assertThat(noWeb.exitCode()).isEqualTo(1);
        assertThat(noWeb.err()).contains("--http-port -1: the demo needs the web page and query API; give a port, "
                + "or 0 for any free one");
        assertThat(noTime.exitCode()).isEqualTo(1);
        assertThat(noTime.err()).contains("--timeout 0 must be at least 1 second");
    }
}
