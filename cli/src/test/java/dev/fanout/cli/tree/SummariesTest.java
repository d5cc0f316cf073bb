package dev.fanout.cli.tree;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.cli.tree.TreeModel.TreeSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class SummariesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theProgressBarFillsWithTheRunsThatAreDone() throws Exception {
        TreeSummary running = summary("RUNNING", 3000, 10, 4, 1, 0, 1, 0, 2, 3);

        assertThat(Summaries.progressLine(running))
                .isEqualTo("[##################............]  60%  6/10 done · 1 failed · 2 running · 3 queued · 3.0 s");
    }

    @Test
    void aTreeWithoutRunsIsEmptyWhileRunningAndFullWhenDone() throws Exception {
        assertThat(Summaries.progressLine(summary("RUNNING", 5, 0, 0, 0, 0, 0, 0, 0, 0))).startsWith("[......").contains("  0%");
        assertThat(Summaries.progressLine(summary("SUCCEEDED", 5, 0, 0, 0, 0, 0, 0, 0, 0)))
                .startsWith("[##############################] 100%  0/0 done").endsWith(" · SUCCEEDED");
    }

    @Test
    void theDoneSummaryHasStatusCountsAndFailures() throws Exception {
        TreeSummary done = JSON.readValue("""
                {"tree_id": "ev-9", "artifact": "acme/lib:release", "status": "FAILED", "duration_ms": 65000,
                 "counts": {"total": 3, "succeeded": 2, "failed": 1, "timed_out": 0, "skipped": 0, "retries": 2},
                 "running": 0, "queued": 0, "open_fan_outs": 0,
                 "failures": [{"run_id": "r-7", "subscription_id": "app-b/on-release", "error": "exit 2"}]}
                """, TreeSummary.class);
        StringWriter text = new StringWriter();

        Summaries.printDone(done, new PrintWriter(text));

        assertThat(text.toString()).isEqualTo("""
                Tree ev-9 FAILED in 1 min 05 s (acme/lib:release)
                  3 runs: 2 succeeded, 1 failed, 0 timed out, 0 skipped; 2 retries
                  failed: app-b/on-release (r-7): exit 2
                """);
    }

    @Test
    void durationsReadAsPeopleSayThem() {
        assertThat(Durations.format(null)).isEqualTo("-");
        assertThat(Durations.format(850L)).isEqualTo("850 ms");
        assertThat(Durations.format(3210L)).isEqualTo("3.2 s");
        assertThat(Durations.format(245_000L)).isEqualTo("4 min 05 s");
        assertThat(Durations.format(7_380_000L)).isEqualTo("2 h 03 min");
    }

    private static TreeSummary summary(String status, long durationMs, long total, long succeeded, long failed,
            long timedOut, long skipped, long retries, long running, long queued) throws Exception {
        return JSON.readValue(String.format("""
                {"tree_id": "ev-1", "artifact": "a:b", "status": "%s", "duration_ms": %d,
                 "counts": {"total": %d, "succeeded": %d, "failed": %d, "timed_out": %d, "skipped": %d, "retries": %d},
                 "running": %d, "queued": %d, "open_fan_outs": 0, "failures": []}
                """, status, durationMs, total, succeeded, failed, timedOut, skipped, retries, running, queued),
                TreeSummary.class);
    }
}
