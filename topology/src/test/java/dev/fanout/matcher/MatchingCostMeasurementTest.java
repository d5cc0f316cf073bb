package dev.fanout.matcher;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.config.FanoutConfig;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Matching an event costs in proportion to its artifact's subscriptions, not to all subscriptions: the
 * index is one prefix scan per event. Prints events per second for a small and a large population over
 * the same 200 artifacts, and for a quiet artifact inside the large one; asserts only the exact
 * count of index entries read per event, never a time.
 */
class MatchingCostMeasurementTest {

    private static final int ARTIFACTS = 200;
    private static final int EVENTS = 200;

    @Test
    void indexEntriesReadPerEventAreTheArtifactsSubscriptionsNotAllSubscriptions(
            @TempDir Path small, @TempDir Path large, @TempDir Path quiet) {
        // Given 1 subscription per artifact (200), then 100 per artifact (20,000); the first run also warms the JIT
        Figures few = measure(small, 1, "art-%d:release", ARTIFACTS);
        Figures many = measure(large, 100, "art-%d:release", ARTIFACTS);
        // and, in the large population, events on an artifact with a single subscription
        Figures probe = measure(quiet, 100, "quiet:release", 1);

        System.out.printf("matching cost, %d events each (TopologyTestDriver, one partition)%n", EVENTS);
        System.out.println(few.describe("200 subscriptions, 1 per artifact  "));
        System.out.println(many.describe("20,000 subscriptions, 100 per artifact"));
        System.out.println(probe.describe("20,000 subscriptions, event on an artifact with 1"));
        System.out.printf("events/s ratio, 1 per artifact vs 100 per artifact: %.1f%n", few.eventsPerSecond() / many.eventsPerSecond());
        System.out.printf("events/s ratio, 200 vs 20,000 in all, 1 on the event's artifact: %.2f%n",
                few.eventsPerSecond() / probe.eventsPerSecond());

        // Then each event reads exactly its artifact's subscriptions, whatever the population
        assertThat(few.scannedPerEvent()).isEqualTo(1.0);
        assertThat(many.scannedPerEvent()).isEqualTo(100.0);
        assertThat(probe.scannedPerEvent()).isEqualTo(1.0);
    }

    private record Figures(int subscriptions, long scanned, long nanos) {
        double scannedPerEvent() {
            return (double) scanned / EVENTS;
        }

        double eventsPerSecond() {
            return EVENTS / (nanos / 1e9);
        }

        String describe(String label) {
            return String.format("  %s: %,d subscriptions loaded, %.0f events/s, %.1f index entries read per event",
                    label, subscriptions, eventsPerSecond(), scannedPerEvent());
        }
    }

    /**
     * Loads {@code perArtifact} subscriptions on each of 200 artifacts (plus one on {@code quiet:release}),
     * then times {@link #EVENTS} events spread over {@code eventArtifacts} artifacts named by {@code pattern}.
     */
    private static Figures measure(Path stateDir, int perArtifact, String pattern, int eventArtifacts) {
        try (FanoutDriver fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.MAX_WIDTH, 1_000))) {
            int loaded = 0;
            for (int a = 0; a < ARTIFACTS; a++) {
                for (int s = 0; s < perArtifact; s++) {
                    fanout.subscribe(subscription("svc-" + s, "on-art-" + a).setArtifact("art-" + a + ":release").build());
                    loaded++;
                }
            }
            fanout.subscribe(subscription("svc-quiet", "on-quiet").setArtifact("quiet:release").build());
            loaded++;
            double before = scanned(fanout);
            long start = System.nanoTime();
            for (int e = 0; e < EVENTS; e++) {
                fanout.emit(event("e" + e).setArtifact(String.format(pattern, e % eventArtifacts)).build());
            }
            long nanos = System.nanoTime() - start;
            return new Figures(loaded, (long) (scanned(fanout) - before), nanos);
        }
    }

    private static double scanned(FanoutDriver fanout) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> metric : fanout.driver().metrics().entrySet()) {
            if (metric.getKey().name().equals(FanOutPlanProcessor.SCANNED_METRIC)) {
                total += ((Number) metric.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }
}
