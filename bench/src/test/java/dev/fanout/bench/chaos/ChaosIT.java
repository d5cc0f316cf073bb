package dev.fanout.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The chaos harness at CI size: three topology processes under a steady load of nested trees, two SIGKILLs,
 * a broker restart and a registry restart, then every committed record verified; and its negative control,
 * at_least_once under one kill, which the verifier must catch. Pauses and latencies are reported, not asserted
 * (they are benchmark figures: docs/reliability.md).
 */
class ChaosIT {

    @TempDir
    Path dir;

    @Test
    void underKillsAndRestartsEveryTreeAndFanOutFinishesOnceWithNoAttemptTriggeredTwice() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ChaosCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));

        int code = cli.execute("--kills", "2", "--kill-every", "15-15", "--steady", "10", "--trees", "200",
                "--rate", "5", "--children", "10-40", "--dir", dir.resolve("run").toString());

        assertThat(code).as("output:%n%s", out).isZero();
        assertThat(out.toString())
                .contains("kill -9 of instance", "broker restart", "Schema Registry restart")
                .contains("lost: 0 trees, 0 fan-outs; duplicates: 0 TreeDone, 0 FanOutDone, 0 triggers; wrong counts: 0 trees")
                .contains("PASSED");
    }

    @Test
    void theNegativeControlUnderAtLeastOnceIsCaught() throws Exception {
        StringWriter out = new StringWriter();
        ChaosOptions options = new ChaosOptions(3, 6, 1, Duration.ofSeconds(15), Duration.ofSeconds(15), 100, 5, 10, 40,
                Duration.ofSeconds(10), false, false, Duration.ofSeconds(90),
                Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE), 7, dir.resolve("control"));

        ChaosReport report = ChaosRun.run(options, new PrintWriter(out, true));

        assertThat(report.passed()).as("at_least_once under a kill -9 went unseen:%n%s%s", out, report.text()).isFalse();
        assertThat(report.verdict().duplicates() + report.verdict().lost() + report.verdict().wrongTrees())
                .isPositive();
        assertThat(Files.exists(dir.resolve("control"))).isTrue();
    }
}
