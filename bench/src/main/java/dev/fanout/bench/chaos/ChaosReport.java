package dev.fanout.bench.chaos;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a chaos run did and measured, as text for the terminal and as Markdown for docs/reliability.md;
 * {@code treeDonesPerSecond} counts the TreeDone records read in each second from the start of the load, for
 * {@link ChaosPlot}.
 */
public record ChaosReport(ChaosOptions options, Instant startedAt, int trees, double loadSeconds, double drainSeconds,
                          long steadyPauseMillis, List<Disruption> disruptions, Percentiles steadyLatency,
                          Percentiles chaosLatency, ChaosVerifier.Verdict verdict, List<Integer> treeDonesPerSecond) {

    /**
     * A failure injected under load.
     *
     * @param atMillis       when, from the start of the load
     * @param recoveryMillis until the process was back (a killed instance's new JVM running, the broker answering)
     * @param pauseMillis    the longest time some partition of tree-done then saw no TreeDone, until the next
     *                       disruption or the end of the load; -1 until measured
     */
    public record Disruption(String what, long atMillis, long recoveryMillis, long pauseMillis) {
        Disruption(String what, long atMillis, long recoveryMillis) {
            this(what, atMillis, recoveryMillis, -1);
        }

        Disruption withPause(long pause) {
            return new Disruption(what, atMillis, recoveryMillis, pause);
        }
    }

    /** Tree-done latency (from emitting the root event to reading its TreeDone, harness clock), in ms. */
    public record Percentiles(int count, long p50, long p99, long max) {
        static Percentiles of(List<Long> values) {
            if (values.isEmpty()) {
                return new Percentiles(0, 0, 0, 0);
            }
            List<Long> sorted = new ArrayList<>(values);
            sorted.sort(null);
            return new Percentiles(sorted.size(), at(sorted, 0.50), at(sorted, 0.99), sorted.get(sorted.size() - 1));
        }

        private static long at(List<Long> sorted, double q) {
            int index = (int) Math.ceil(q * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }
    }

    public boolean passed() {
        return verdict.passed();
    }

    public String guarantee() {
        Object g = options.overrides().get("processing.guarantee");
        return g == null ? "exactly_once_v2" : g.toString();
    }

    /** Lines for the terminal. */
    public String text() {
        StringBuilder b = new StringBuilder();
        ChaosVerifier.Verdict v = verdict;
        b.append(String.format(Locale.ROOT, "%nchaos run (%s): %d trees over %.0f s of load, %d instances, %d disruptions%n",
                guarantee(), trees, loadSeconds, options.instances(), disruptions.size()));
        for (Disruption d : disruptions) {
            b.append(String.format(Locale.ROOT, "  at %6.1f s  %-38s back in %5.1f s, longest pause after it %5.1f s%n",
                    d.atMillis() / 1000.0, d.what(), d.recoveryMillis() / 1000.0, d.pauseMillis() / 1000.0));
        }
        b.append(String.format(Locale.ROOT, "  steady state before the first failure: longest pause %.1f s%n", steadyPauseMillis / 1000.0));
        b.append(String.format(Locale.ROOT, "  tree-done latency: steady p50 %d ms, p99 %d ms (%d trees); under chaos p50 %d ms, p99 %d ms (%d trees)%n",
                steadyLatency.p50(), steadyLatency.p99(), steadyLatency.count(), chaosLatency.p50(), chaosLatency.p99(),
                chaosLatency.count()));
        b.append(String.format(Locale.ROOT, "  verified (read_committed): %d TreeDone, %d FanOutDone, %d triggers, %d dead letters%n",
                v.treeDones(), v.fanOutDones(), v.triggers(), v.deadLetters()));
        b.append(String.format(Locale.ROOT, "  lost: %d trees, %d fan-outs; duplicates: %d TreeDone, %d FanOutDone, %d triggers; wrong counts: %d trees%n",
                v.lostTrees(), v.lostFanOuts(), v.duplicateTreeDones(), v.duplicateFanOutDones(), v.duplicateTriggers(),
                v.wrongTrees()));
        for (String example : v.examples()) {
            b.append("    ").append(example).append('\n');
        }
        b.append(v.passed() ? "  PASSED: every tree once, every fan-out once, no run attempt triggered twice\n"
                : "  FAILED: the committed output is not what the trees must produce\n");
        return b.toString();
    }

    /** The run as Markdown: its settings, each disruption, latency and the verdict. */
    public String markdown() {
        ChaosVerifier.Verdict v = verdict;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "#### `%s`: %d trees, %d instances, taken %s%n%n", guarantee(), trees,
                options.instances(), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(startedAt)));
        b.append("| disruption | at | back after | longest pause after it |\n|---|---|---|---|\n");
        b.append(String.format(Locale.ROOT, "| none (steady state, before the first) | | | %.1f s |%n", steadyPauseMillis / 1000.0));
        for (Disruption d : disruptions) {
            b.append(String.format(Locale.ROOT, "| %s | %.0f s | %.1f s | %.1f s |%n", d.what(), d.atMillis() / 1000.0,
                    d.recoveryMillis() / 1000.0, d.pauseMillis() / 1000.0));
        }
        b.append('\n');
        b.append("| tree-done latency | trees | p50 | p99 | max |\n|---|---|---|---|---|\n");
        b.append(String.format(Locale.ROOT, "| steady state | %d | %d ms | %d ms | %d ms |%n", steadyLatency.count(),
                steadyLatency.p50(), steadyLatency.p99(), steadyLatency.max()));
        b.append(String.format(Locale.ROOT, "| from the first failure on | %d | %d ms | %d ms | %d ms |%n", chaosLatency.count(),
                chaosLatency.p50(), chaosLatency.p99(), chaosLatency.max()));
        b.append('\n');
        b.append("| verified (read_committed) | count |\n|---|---|\n");
        for (var row : List.of(
                Map.entry("trees emitted", (long) v.trees()),
                Map.entry("TreeDone records", v.treeDones()),
                Map.entry("FanOutDone records", v.fanOutDones()),
                Map.entry("triggers", v.triggers()),
                Map.entry("lost trees (no TreeDone)", (long) v.lostTrees()),
                Map.entry("lost fan-outs (no FanOutDone)", (long) v.lostFanOuts()),
                Map.entry("duplicate TreeDone", v.duplicateTreeDones()),
                Map.entry("duplicate FanOutDone", v.duplicateFanOutDones()),
                Map.entry("(run_id, attempt) triggered twice", v.duplicateTriggers()),
                Map.entry("trees with wrong status or counts", (long) v.wrongTrees()),
                Map.entry("dead letters", v.deadLetters()))) {
            b.append("| ").append(row.getKey()).append(" | ").append(String.format(Locale.ROOT, "%,d", row.getValue())).append(" |\n");
        }
        if (!v.examples().isEmpty()) {
            b.append("\nFirst findings:\n\n");
            v.examples().forEach(e -> b.append("- ").append(e).append('\n'));
        }
        return b.toString();
    }
}
