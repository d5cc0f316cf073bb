package dev.fanout.bench.ceiling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.bench.BenchCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fanout bench ceiling} end to end on a real embedded broker, with a tiny record count: the figures
 * are meaningless at this size, so only their presence and sign are checked, never their value.
 */
class CeilingScenarioIT {

    @TempDir
    Path dir;

    @Test
    void theCeilingMeasuresPositiveRatesOnARealBrokerAndKeepsThemAsJson() throws Exception {
        Path json = dir.resolve("ceiling.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("ceiling", "--runs", "2", "--records", "2000", "--json", json.toString());

        assertThat(code).as("stderr:\n%s", err).isZero();
        JsonNode results = new ObjectMapper().readTree(Files.readString(json)).path("results");
        assertThat(results).hasSize(2);
        for (JsonNode run : results) {
            assertThat(run.path("measurements")).extracting(m -> m.path("name").asText() + " " + m.path("unit").asText())
                    .containsExactly("produce records/s", "produce MB/s", "produce transactional records/s",
                            "produce transactional MB/s", "consume read_committed records/s",
                            "consume read_committed MB/s");
            assertThat(run.path("measurements")).allSatisfy(m -> assertThat(m.path("value").asDouble()).isPositive());
            assertThat(run.path("measurements").get(2).path("ratio").asDouble()).isPositive();
        }
        assertThat(out.toString()).contains("ceiling   produce transactional");
    }
}
