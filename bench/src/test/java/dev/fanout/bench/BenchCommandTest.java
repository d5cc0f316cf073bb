package dev.fanout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command with a stand-in broker and fake scenarios: what it prints, writes and returns. */
class BenchCommandTest {

    @TempDir
    Path dir;

    private final List<String> brokerEvents = new ArrayList<>();
    private final List<Scale> scales = new ArrayList<>();

    private record Run(int exitCode, String out, String err) {
    }

    private Run bench(String... args) {
        BenchBroker broker = new BenchBroker() {
            @Override
            public String bootstrapServers() {
                return "stand-in:9092";
            }

            @Override
            public void close() {
                brokerEvents.add("closed");
            }
        };
        BenchCommand command = new BenchCommand(() -> {
            brokerEvents.add("started");
            return broker;
        }, scale -> {
            scales.add(scale);
            return ScenarioCatalog.of(FakeScenario.rates("ceiling", 100, 300, 200), FakeScenario.rates("other", 1, 2, 3));
        });
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsTheTableOnStdoutAndALinePerRunStartAndEndOnStderr() {
        Run run = bench("ceiling", "--runs", "3");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("ceiling   rate          200.0  100.0  300.0  records/s");
        assertThat(run.err().lines().filter(l -> l.matches("ceiling run \\d/3 done in \\d+\\.\\d s.*"))).hasSize(3);
        assertThat(run.err()).contains("ceiling run 1/3 ...");
        assertThat(brokerEvents).containsExactly("started", "closed");
    }

    @Test
    void writesTheRawResultsAsJson() throws Exception {
        Path json = dir.resolve("out.json");

        Run run = bench("--runs", "2", "--json", json.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(Files.readString(json)).contains("\"scenario\" : \"other\"").contains("\"run\" : 2");
        assertThat(run.out()).contains("Raw results: " + json);
    }

    @Test
    void anUnknownScenarioIsAUsageErrorThatListsTheKnownOnesAndStartsNoBroker() {
        Run run = bench("ceiling", "nope");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("unknown scenario 'nope'; known scenarios: ceiling, other (or all)");
        assertThat(brokerEvents).isEmpty();
    }

    @Test
    void zeroRunsIsAUsageError() {
        Run run = bench("--runs", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--runs is 0");
    }

    @Test
    void quickAndRecordsReachTheScenarios() {
        bench("--quick", "--records", "5000", "--runs", "1");

        assertThat(scales).containsExactly(new Scale(true, java.util.OptionalInt.of(5000)));
    }

    @Test
    void widthsReachTheScenarios() {
        bench("--widths", "100000,1000000", "--runs", "1");

        assertThat(scales).containsExactly(new Scale(false, java.util.OptionalInt.empty(), List.of(100_000, 1_000_000)));
    }
}
