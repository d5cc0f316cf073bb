package dev.fanout.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.bench.Reports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJsonTest {

    @TempDir
    Path dir;

    @Test
    void theFileKeepsEveryRunsRawFiguresTheMachineAndTheSummary() throws Exception {
        Path file = dir.resolve("results/bench.json");

        ReportJson.write(Reports.ceiling(), file);

        JsonNode doc = new ObjectMapper().readTree(Files.readString(file));
        assertThat(doc.path("machine").path("cores").asInt()).isEqualTo(2);
        assertThat(doc.path("runs").asInt()).isEqualTo(3);
        JsonNode results = doc.path("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(1).path("run").asInt()).isEqualTo(2);
        assertThat(results.get(1).path("elapsed_millis").asLong()).isEqualTo(12_345);
        assertThat(results.get(1).path("cpu").path("others").asDouble()).isEqualTo(0.02);
        JsonNode tx = results.get(1).path("measurements").get(2);
        assertThat(tx.path("name").asText()).isEqualTo("produce transactional");
        assertThat(tx.path("value").asDouble()).isEqualTo(300_000);
        assertThat(tx.path("ratio").asDouble()).isEqualTo(0.6);
        assertThat(tx.path("baseline").asText()).isEqualTo("produce");
        assertThat(doc.path("summary").get(0).path("value").path("median").asDouble()).isEqualTo(450_000);
    }

    @Test
    void aMeasurementWithoutRatioHasNoRatioField() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(ReportJson.json(Reports.ceiling()));

        JsonNode plain = doc.path("results").get(0).path("measurements").get(0);
        assertThat(plain.has("ratio")).isFalse();
        assertThat(plain.has("baseline")).isFalse();
    }
}
