package dev.fanout.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.bench.BenchCommand;
import dev.fanout.bench.report.DocsPage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fanout bench all --quick --docs} end to end: a real broker and registry, the real topology in its child
 * JVM, synthetic workers and the worker SDK, every scenario at tiny sizes. Every tree a scenario sends must end
 * with the counts it was designed for, so a run that completes has also checked each tree's {@code TreeDone}. The figures are meaningless at this size, so only the
 * report's shape is checked (every scenario, every measurement, positive values, ratios where promised), and
 * that the docs page, its JSON and its plots are written; never a figure's value.
 */
class PipelineScenariosIT {

    @TempDir
    Path dir;

    @Test
    void everyScenarioReportsItsFiguresAndTheDocsAreRegenerated() throws Exception {
        Path page = dir.resolve("benchmarks.md");
        Files.writeString(page, "# Benchmarks\n" + DocsPage.START + "\n" + DocsPage.END + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("all", "--quick", "--runs", "1", "--warmup", "0", "--records", "2000",
                "--docs", page.toString());

        assertThat(code).as("stderr:\n%s", err).isZero();
        JsonNode results = new ObjectMapper().readTree(Files.readString(dir.resolve("benchmarks/results.json")))
                .path("results");
        assertThat(results).extracting(r -> r.path("scenario").asText())
                .containsExactly("ceiling", "fan-out", "completions", "latency", "width", "guarantee", "workers", "quota");
        assertThat(names(results.get(1))).containsExactly("subscriptions N=10 triggers/s", "subscriptions N=200 triggers/s",
                "foreach N=10 triggers/s", "foreach N=200 triggers/s",
                "subscriptions N=10 topology CPU per trigger µs", "subscriptions N=200 topology CPU per trigger µs",
                "foreach N=10 topology CPU per trigger µs", "foreach N=200 topology CPU per trigger µs");
        assertThat(names(results.get(2))).containsExactly("children end to end children/s", "topology CPU per child µs",
                "all CPU per child (topology, broker, workers) µs");
        assertThat(names(results.get(3))).containsExactly("load aimed at (half of completions) children/s",
                "load achieved children/s", "p50 ms", "p90 ms", "p99 ms", "max ms");
        assertThat(names(results.get(4))).contains("N=10 time per child µs", "N=200 time per child µs",
                "N=200 children children/s", "N=200 peak heap after GC MiB", "N=200 peak heap used MiB", "N=200 peak RSS MiB");
        assertThat(names(results.get(5))).containsExactly("exactly_once_v2 children/s", "at_least_once children/s",
                "exactly_once_v2 topology CPU per child µs", "at_least_once topology CPU per child µs");
        assertThat(names(results.get(6))).containsExactly("synthetic, STARTED and SUCCEEDED children/s",
                "synthetic, SUCCEEDED only children/s", "worker SDK children/s",
                "synthetic, STARTED and SUCCEEDED topology CPU per child µs",
                "synthetic, SUCCEEDED only topology CPU per child µs", "worker SDK topology CPU per child µs",
                "synthetic, STARTED and SUCCEEDED all CPU per child µs", "synthetic, SUCCEEDED only all CPU per child µs",
                "worker SDK all CPU per child µs");
        assertThat(results.get(6).path("measurements").get(2).path("baseline").asText())
                .isEqualTo("synthetic, STARTED and SUCCEEDED");
        assertThat(names(results.get(7))).containsExactly("no max_in_flight children/s",
                "max_in_flight not reached children/s", "max_in_flight 10 (binding, 5 trees) children/s",
                "no max_in_flight topology CPU per child µs", "max_in_flight not reached topology CPU per child µs");
        assertThat(results.get(7).path("measurements").get(1).path("baseline").asText()).isEqualTo("no max_in_flight");
        for (JsonNode run : results) {
            assertThat(run.path("measurements")).as(run.path("scenario").asText())
                    .allSatisfy(m -> assertThat(m.path("value").asDouble()).isPositive());
        }
        assertThat(results.get(1).path("measurements")).filteredOn(m -> m.path("unit").asText().equals("triggers/s"))
                .allSatisfy(m -> assertThat(m.path("baseline").asText()).isEqualTo("ceiling produce transactional"));
        assertThat(results.get(2).path("measurements").get(0).path("ratio").asDouble()).isPositive();
        assertThat(results.get(5).path("measurements").get(1).path("baseline").asText()).isEqualTo("exactly_once_v2");
        // The topology's JVM is capped at 512 MiB, and says how much it used.
        for (JsonNode m : results.get(4).path("measurements")) {
            if (m.path("unit").asText().equals("MiB") && m.path("name").asText().contains("heap")) {
                assertThat(m.path("value").asDouble()).isLessThanOrEqualTo(512);
            }
        }
        assertThat(Files.readString(page)).contains("| latency | p99 |").contains("benchmarks/throughput-by-width.png");
        assertThat(dir.resolve("benchmarks/throughput-by-width.png")).isRegularFile();
        assertThat(dir.resolve("benchmarks/latency-ms.png")).isRegularFile();
    }

    private static List<String> names(JsonNode run) {
        List<String> names = new ArrayList<>();
        StreamSupport.stream(run.path("measurements").spliterator(), false)
                .forEach(m -> names.add(m.path("name").asText() + " " + m.path("unit").asText()));
        return names;
    }
}
