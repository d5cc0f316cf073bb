package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.config.FanoutConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import dev.fanout.config.TopologyNames;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fan-out's results come back ordered by item index, then subscription id, whatever order runs end in. */
class ResultsOrderTest {

    @TempDir
    Path stateDir;

    @Test
    void resultsAreOrderedByItemIndexThenSubscriptionIdNotByCompletion() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir)) {
            // Given two map subscriptions over three targets, and one plain subscription
            List<Trigger> triggers = plan(fanout);

            // When the runs finish in reverse order
            List<Trigger> reversed = new ArrayList<>(triggers);
            Collections.reverse(reversed);
            reversed.forEach(t -> fanout.report(succeeded(fanout, t, "\"" + t.getSubscriptionId() + t.getItemIndex() + "\"")));

            // Then the results are ordered: no index first, then index 0, 1, 2, each by subscription id
            FanOutDone done = fanout.fanOutDone().get(0).value();
            assertThat(done.getResults()).extracting(r -> r.getSubscriptionId() + "#" + r.getItemIndex()).containsExactly(
                    "app-c/plain#null",
                    "app-a/per-target#0", "app-b/per-target#0",
                    "app-a/per-target#1", "app-b/per-target#1",
                    "app-a/per-target#2", "app-b/per-target#2");
            assertThat(done.getResults()).extracting(ChildResult::getOutput).startsWith("\"app-c/plainnull\"");
            assertThat(done.getResultsTruncated()).isFalse();
        }
    }

    @Test
    void resultsBeyondTheCapAreLeftOutAndSaySoWhileCountsStayExact() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.RESULTS_MAX, 3))) {
            // Given a cap of three results and seven children
            List<Trigger> triggers = plan(fanout);

            // When all succeed
            triggers.forEach(t -> fanout.report(succeeded(fanout, t, "{}")));

            // Then the first three results in order are carried, truncated, and the counts are exact
            FanOutDone done = fanout.fanOutDone().get(0).value();
            assertThat(done.getResults()).extracting(r -> r.getSubscriptionId() + "#" + r.getItemIndex())
                    .containsExactly("app-c/plain#null", "app-a/per-target#0", "app-b/per-target#0");
            assertThat(done.getResultsTruncated()).isTrue();
            assertThat(done.getCounts().getSucceeded()).isEqualTo(7);
        }
    }

    @Test
    void aFanOutInFlightAcrossTheUpgradeReportsTheResultsAnEarlierVersionStoredApartAndRemovesThem() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir, Map.of(FanoutConfig.RESULTS_MAX, 5_000))) {
            // Given a fan-out of 2,500 children whose first 1,200 ended under an earlier version, which kept
            // results in tree.results (more than one batch of removals) and not in the run nodes
            StringBuilder items = new StringBuilder();
            for (int i = 0; i < 2_500; i++) {
                items.append(i == 0 ? "" : ",").append(i);
            }
            fanout.subscribe(subscription("app-a", "per-item").setForeach("event.payload.items").build());
            fanout.emit(event("wide").setPayload("{\"items\":[" + items + "]}").build());
            List<Trigger> triggers = fanout.triggers();
            assertThat(triggers).hasSize(2_500);
            triggers.subList(0, 1_200).forEach(t -> fanout.report(succeeded(fanout, t, "\"old " + t.getItemIndex() + "\"")));
            KeyValueStore<String, ChildResult> legacy = fanout.driver().getKeyValueStore(TopologyNames.TREE_RESULTS);
            KeyValueStore<String, RunNode> runs = fanout.driver().getKeyValueStore(TopologyNames.TREE_RUNS);
            for (Trigger t : triggers.subList(0, 1_200)) {
                RunNode run = runs.get(t.getRunId());
                legacy.put(StoreKeys.result("wide", t.getItemIndex(), t.getSubscriptionId()), run.getOutcome());
                run.setOutcome(null);
                runs.put(t.getRunId(), run);
            }

            // When the other 1,300 end under this one, last first
            List<Trigger> rest = new ArrayList<>(triggers.subList(1_200, 2_500));
            Collections.reverse(rest);
            rest.forEach(t -> fanout.report(succeeded(fanout, t, "\"new " + t.getItemIndex() + "\"")));

            // Then FanOutDone carries all 2,500 in item order, each with its own output, and tree.results is empty
            FanOutDone done = fanout.fanOutDone().get(0).value();
            assertThat(done.getResults()).hasSize(2_500);
            for (int i = 0; i < 2_500; i++) {
                assertThat(done.getResults().get(i).getItemIndex()).isEqualTo(i);
                assertThat(done.getResults().get(i).getOutput()).isEqualTo("\"" + (i < 1_200 ? "old " : "new ") + i + "\"");
            }
            assertThat(done.getResultsTruncated()).isFalse();
            try (KeyValueIterator<String, ChildResult> all = legacy.all()) {
                assertThat(all.hasNext()).isFalse();
            }
        }
    }

    private static List<Trigger> plan(FanoutDriver fanout) {
        fanout.subscribe(subscription("app-b", "per-target").setForeach("event.payload.targets").build())
                .subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build())
                .subscribe(subscription("app-c", "plain").build());
        fanout.emit(event("e1").setPayload("{\"targets\":[\"linux\",\"mac\",\"win\"]}").build());
        List<Trigger> triggers = fanout.triggers();
        assertThat(triggers).hasSize(7);
        return triggers;
    }
}
