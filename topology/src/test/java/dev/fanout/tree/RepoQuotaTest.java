package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.failed;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.AdmissionRepo;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.config.TopologyNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repository's {@code max_in_flight}, enforced by the admission stage across trees. */
class RepoQuotaTest {

    private static final String SIX_TARGETS = "{\"targets\":[\"t0\",\"t1\",\"t2\",\"t3\",\"t4\",\"t5\"]}";
    private static final String TWO_TARGETS = "{\"targets\":[\"t0\",\"t1\"]}";

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir);
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void theLimitIsNeverExceededAcrossThreeTrees() {
        // Given app-a may have two runs in flight, and three trees of six children each
        fanout.limit("app-a", 2);
        for (String id : List.of("e1", "e2", "e3")) {
            fanout.emit(event(id).setPayload(SIX_TARGETS).build());
        }

        // When a worker finishes the oldest run in flight, until none is left
        int triggered = finishAll(new ArrayList<>(), 2);

        // Then all eighteen ran, never more than two at once, and every tree is done
        assertThat(triggered).isEqualTo(18);
        assertThat(fanout.treeDone()).hasSize(3)
                .allSatisfy(done -> assertThat(done.value().getCounts().getSucceeded()).isEqualTo(6));
        assertThat(census("app-a").getInFlight()).isZero();
        assertThat(census("app-a").getWaiting()).isZero();
    }

    @Test
    void aSmallTreeAfterABigOneTakesEveryOtherSlot() {
        // Given one slot, a tree of six children, then a tree of two
        fanout.limit("app-a", 1);
        fanout.emit(event("big").setPayload(SIX_TARGETS).build());
        fanout.emit(event("small").setPayload(TWO_TARGETS).build());

        // When the worker finishes runs one at a time
        List<String> trees = new ArrayList<>();
        finishAll(trees, 1);

        // Then the small tree's runs come second and fourth, not last
        String big = trees.get(0);
        String small = trees.stream().filter(t -> !t.equals(big)).findFirst().orElseThrow();
        assertThat(trees).containsExactly(big, big, small, big, small, big, big, big);
        assertThat(small).isNotEqualTo(big);
    }

    @Test
    void aTreeOfTenAfterATreeOfTwoThousandFinishesLongBeforeIt() {
        // Given five slots, a tree of 2,000 children, then a tree of ten
        fanout.limit("app-a", 5);
        String bigItems = IntStream.range(0, 2_000).mapToObj(i -> "\"t" + i + "\"")
                .collect(Collectors.joining(",", "{\"targets\":[", "]}"));
        String smallItems = IntStream.range(0, 10).mapToObj(i -> "\"t" + i + "\"")
                .collect(Collectors.joining(",", "{\"targets\":[", "]}"));
        fanout.emit(event("big").setPayload(bigItems).build());
        fanout.emit(event("small").setPayload(smallItems).build());

        // When the worker finishes runs one at a time, oldest first
        List<String> trees = new ArrayList<>();
        finishAll(trees, 5);

        // Then the small tree's ten runs all start within the first 25 triggers, and it is done first
        String small = fanout.treeDone().get(0).value().getTreeId();
        assertThat(trees).hasSize(2_010);
        assertThat(trees.lastIndexOf(small)).isLessThan(25);
        assertThat(trees.stream().filter(small::equals)).hasSize(10);
        assertThat(trees.get(trees.size() - 1)).isNotEqualTo(small);
    }

    @Test
    void aRunWaitingForItsRetryHoldsNoSlot() {
        // Given one slot, a retried subscription, and two trees of one child each
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets")
                .setRetry(new RetryPolicy(2, 60_000L, 1.0)).build());
        fanout.limit("app-a", 1);
        fanout.emit(event("e1").setPayload("{\"targets\":[\"t0\"]}").build());
        fanout.emit(event("e2").setPayload("{\"targets\":[\"t0\"]}").build());
        List<Trigger> first = fanout.triggers();
        assertThat(first).hasSize(1);

        // When the first run fails and waits a minute for its retry
        fanout.report(failed(fanout, first.get(0), "flaky", true));

        // Then the other tree's run is triggered meanwhile
        List<Trigger> second = fanout.triggers();
        assertThat(second).hasSize(1);
        assertThat(second.get(0).getTreeId()).isNotEqualTo(first.get(0).getTreeId());
        // and the retry waits for the slot when its backoff ends, and gets it when that run ends
        fanout.advance(Duration.ofSeconds(61));
        assertThat(fanout.triggers()).isEmpty();
        assertThat(run(first.get(0)).getStatus()).isEqualTo(RunNodeStatus.QUOTA_WAIT);
        fanout.report(succeeded(fanout, second.get(0), "{}"));
        List<Trigger> retry = fanout.triggers();
        assertThat(retry).extracting(Trigger::getRunId).containsExactly(first.get(0).getRunId());
        assertThat(retry.get(0).getAttempt()).isEqualTo(2);
    }

    @Test
    void aLoweredLimitAppliesToTheNextGrantAndARemovedOneGrantsEverything() {
        // Given three slots taken by a tree of six
        fanout.limit("app-a", 3);
        fanout.emit(event("e1").setPayload(SIX_TARGETS).build());
        List<Trigger> running = new ArrayList<>(fanout.triggers());
        assertThat(running).hasSize(3);

        // When the limit is lowered to one, the runs in flight keep their slots, and nothing is granted
        // until fewer than one are in flight
        fanout.limit("app-a", 1);
        fanout.report(succeeded(fanout, running.remove(0), "{}"));
        assertThat(fanout.triggers()).isEmpty();
        fanout.report(succeeded(fanout, running.remove(0), "{}"));
        assertThat(fanout.triggers()).isEmpty();
        fanout.report(succeeded(fanout, running.remove(0), "{}"));
        assertThat(fanout.triggers()).hasSize(1);

        // Then once the limit is removed, the two still waiting are granted within a timer interval
        fanout.unlimit("app-a");
        fanout.advance(Duration.ofSeconds(2));
        assertThat(fanout.triggers()).hasSize(2);
    }

    @Test
    void aFanOutTimeoutReleasesItsWaitingAndRunningChildrenOnce() {
        // Given one slot, and a tree of six with a one-minute timeout: one running, five in QUOTA_WAIT
        fanout.limit("app-a", 1);
        fanout.emit(event("e1").setPayload(SIX_TARGETS)
                .setFanOut(FanOutOptions.newBuilder().setTimeoutMs(60_000L).build()).build());
        assertThat(fanout.triggers()).hasSize(1);

        // When the fan-out times out
        fanout.advance(Duration.ofSeconds(61));

        // Then it ends TIMED_OUT, and the repository holds no slot and no request any more
        assertThat(fanout.fanOutDone()).extracting(done -> done.value().getStatus())
                .containsExactly(CompletionStatus.TIMED_OUT);
        assertThat(census("app-a").getInFlight()).isZero();
        assertThat(census("app-a").getWaiting()).isZero();
        // and another tree's run is triggered at once
        fanout.emit(event("e2").setPayload("{\"targets\":[\"t0\"]}").build());
        assertThat(fanout.triggers()).hasSize(1);
        assertThat(census("app-a").getInFlight()).isEqualTo(1);
    }

    @Test
    void aCancelSkipsTheRunsInQuotaWaitAndWithdrawsTheirRequests() {
        // Given one slot, and a tree of six: one running, five in QUOTA_WAIT
        fanout.limit("app-a", 1);
        fanout.emit(event("e1").setPayload(SIX_TARGETS).build());
        List<Trigger> running = fanout.triggers();
        assertThat(running).hasSize(1);

        // When the tree is cancelled
        fanout.cancel(running.get(0).getTreeId(), "not needed");

        // Then the five waiting are skipped and withdrawn; the running one keeps its slot until it ends
        assertThat(census("app-a").getWaiting()).isZero();
        assertThat(census("app-a").getInFlight()).isEqualTo(1);
        fanout.report(succeeded(fanout, running.get(0), "{}"));
        assertThat(census("app-a").getInFlight()).isZero();
        assertThat(fanout.triggers()).isEmpty();
        assertThat(fanout.fanOutDone().get(0).value().getCounts().getSkipped()).isEqualTo(5);
    }

    @Test
    void aRepositoryWithoutALimitIsTriggeredWithNoRoundTrip() {
        fanout.emit(event("e1").setPayload(SIX_TARGETS).build());

        assertThat(fanout.triggers()).hasSize(6);
        assertThat(fanout.driver().<String, AdmissionRepo>getKeyValueStore(TopologyNames.ADMISSION_REPOS).get("app-a"))
                .isNull();
    }

    /** Finishes the oldest run in flight until none is left; returns how many were triggered. */
    private int finishAll(List<String> treeOrder, int limit) {
        Map<String, Trigger> inFlight = new LinkedHashMap<>();
        int triggered = 0;
        List<Trigger> next = fanout.triggers();
        while (!next.isEmpty() || !inFlight.isEmpty()) {
            for (Trigger trigger : next) {
                inFlight.put(trigger.getRunId(), trigger);
                treeOrder.add(trigger.getTreeId());
                triggered++;
            }
            assertThat(inFlight).as("runs of app-a in flight").hasSizeLessThanOrEqualTo(limit);
            Trigger oldest = inFlight.remove(inFlight.keySet().iterator().next());
            fanout.report(succeeded(fanout, oldest, "{}"));
            next = fanout.triggers();
        }
        return triggered;
    }

    private AdmissionRepo census(String repo) {
        AdmissionRepo counters = fanout.driver().<String, AdmissionRepo>getKeyValueStore(TopologyNames.ADMISSION_REPOS)
                .get(repo);
        assertThat(counters).as("the admission stage's counters of %s", repo).isNotNull();
        return counters;
    }

    private RunNode run(Trigger trigger) {
        return fanout.driver().<String, RunNode>getKeyValueStore(TopologyNames.TREE_RUNS).get(trigger.getRunId());
    }
}
