package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectBadInputTest {

    @TempDir
    Path dir;

    @Test
    void aConfigurationFileThatDoesNotExistIsNamedWithTheFix() {
        CliRun run = CliRun.of("connect", dir.resolve("missing.properties").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("missing.properties: no such file")
                .contains("connectors/tree-done-postgres.properties");
    }

    @Test
    void aConfigurationWithoutAConnectorClassIsRefusedBeforeAnyWorkerStarts() throws Exception {
        Path config = Files.writeString(dir.resolve("sink.properties"), "name=my-sink\ntopics=fanout.tree-done\n");

        CliRun run = CliRun.of("connect", config.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("sink.properties has no connector.class").contains("connector.class=...");
    }

    @Test
    void aPluginPathThatIsNotADirectorySaysHowToBuildThePlugins() throws Exception {
        Path config = Files.writeString(dir.resolve("sink.properties"),
                "name=my-sink\nconnector.class=org.apache.kafka.connect.file.FileStreamSinkConnector\n");

        CliRun run = CliRun.of("connect", "--plugin-path", dir.resolve("nowhere").toString(), config.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--plugin-path").contains("nowhere is not a directory")
                .contains("./mvnw -pl connectors -am package -DskipTests");
    }
}
