package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.PlanOpened;
import dev.fanout.avro.internal.PlanRecord;
import dev.fanout.avro.internal.PlanSealed;
import dev.fanout.avro.internal.PlannedChild;
import dev.fanout.avro.internal.PlannedChildren;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.RecordBudget;
import dev.fanout.config.TopologyNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the coordinator writes stays within the record budget (from {@code max.request.size} and the
 * topics' {@code max.message.bytes}, Kafka's defaults here): results are cut with a flag and a count, a
 * trigger that cannot be written fails its run saying why, and children the matcher planned that never
 * arrived fail their fan-out instead of going missing.
 */
class RecordBudgetTest {

    private static final RecordBudget BUDGET = RecordBudget.from(Map.of());

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir);
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void theBudgetIsTheSmallerOfTheProducersAndTheTopicsLimitLessHeadroom() {
        assertThat(BUDGET.bytes()).isEqualTo(1_048_576 - 65_536);
        assertThat(RecordBudget.from(Map.of("producer.max.request.size", "4194304", "topic.max.message.bytes", 2_097_152))
                .bytes()).isEqualTo(2_097_152 - 65_536);
        assertThat(RecordBudget.from(Map.of("max.request.size", 100_000)).bytes()).isEqualTo(50_000);
    }

    @Test
    void aFanOutDoneOfThreeHundredSixKilobyteResultsIsCutToTheBudgetWithAFlagAndACount() {
        // Given 300 children
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
        String targets = IntStream.range(0, 300).mapToObj(Integer::toString).collect(Collectors.joining(","));
        fanout.emit(event("e1").setPayload("{\"targets\":[" + targets + "]}").build());
        List<Trigger> triggers = fanout.triggers();
        assertThat(triggers).hasSize(300);

        // When each returns 6 KB
        String output = "\"" + "x".repeat(6_000) + "\"";
        triggers.forEach(trigger -> fanout.report(succeeded(fanout, trigger, output)));

        // Then the FanOutDone fits the budget, carries the first results in order, and says how many it left out
        FanOutDone done = fanout.fanOutDone().get(0).value();
        byte[] written = fanout.topics().fanOutDone().valueSerde().serializer().serialize("fanout.fanout-done", done);
        assertThat(written.length).isLessThanOrEqualTo(BUDGET.bytes()).isGreaterThan(BUDGET.bytes() / 2);
        assertThat(done.getResultsTruncated()).isTrue();
        assertThat(done.getResults()).hasSizeBetween(100, 299);
        assertThat(done.getResults()).extracting(ChildResult::getItemIndex)
                .containsExactlyElementsOf(IntStream.range(0, done.getResults().size()).boxed().toList());
        assertThat(done.getResultsOmitted()).isEqualTo(300L - done.getResults().size());
        assertThat(done.getCounts().getSucceeded()).isEqualTo(300);
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(fanout.treeDone()).extracting(r -> r.value().getStatus()).containsExactly(CompletionStatus.SUCCEEDED);
    }

    @Test
    void aTriggerTooLargeToWriteFailsItsRunWithAReasonAndTheTreeFinishes() {
        // Given a subscription whose inputs copy a 400 KB field of the event twice (its trigger: about 1.2 MB)
        String blob = "y".repeat(400_000);
        fanout.subscribe(subscription("app-a", "copies").setInputs(Map.of("one", "event.payload.blob",
                "two", "event.payload.blob")).build());
        fanout.subscribe(subscription("app-b", "small").build());

        // When the event arrives
        fanout.emit(event("e1").setPayload("{\"blob\":\"" + blob + "\"}").build());

        // Then only the small subscriber is triggered; the other run failed, saying why and what to do
        List<Trigger> triggers = fanout.triggers();
        assertThat(triggers).extracting(Trigger::getRepo).containsExactly("app-b");
        fanout.report(succeeded(fanout, triggers.get(0), "{}"));
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(done.getCounts().getFailed()).isEqualTo(1);
        assertThat(done.getFailures()).singleElement().satisfies(failure -> assertThat(failure.getError())
                .contains("app-a/copies").contains("record budget").contains("inputs"));
        assertThat(fanout.treeDone()).extracting(r -> r.value().getCounts().getTotal()).containsExactly(2L);
    }

    @Test
    void anEventIdSentAgainAfterItsTreeWasRemovedIsMeasuredWithItsNewPayload(@TempDir Path otherStateDir) {
        // Given trees removed a second after they end, event ids remembered as seen for a second too, and a
        // subscription whose inputs copy a field twice
        try (FanoutDriver removing = new FanoutDriver(otherStateDir, Map.of(FanoutConfig.TREE_RETENTION_MS, 1_000L,
                FanoutConfig.DEDUPE_RETENTION_MS, 1_000L))) {
            removing.subscribe(subscription("app-a", "copies").setInputs(Map.of("one", "event.payload.blob",
                    "two", "event.payload.blob")).build());
            // and event e1 with a small field, run and removed
            removing.emit(event("e1").setPayload("{\"blob\":\"small\"}").build());
            removing.report(succeeded(removing, removing.triggers().get(0), "{}"));
            assertThat(removing.treeDone()).hasSize(1);
            assertThat(removing.fanOutDone()).hasSize(1);
            removing.advance(Duration.ofSeconds(2)).advance(Duration.ofMillis(200));

            // When e1 comes again with a 480 KB field: the event fits, its trigger (the field three times) does not
            removing.emit(event("e1").setPayload("{\"blob\":\"" + "z".repeat(480_000) + "\"}").build());

            // Then the trigger is measured with the new payload, not the first one's: the run fails saying why
            assertThat(removing.deadLetters()).isEmpty();
            assertThat(removing.triggers()).isEmpty();
            assertThat(removing.fanOutDone()).singleElement().satisfies(done -> assertThat(done.value().getFailures())
                    .singleElement().satisfies(failure -> assertThat(failure.getError()).contains("record budget")));
        }
    }

    @Test
    void anEventLargerThanHalfTheBudgetIsADeadLetterNamingItsSize() {
        // Given a subscriber
        fanout.subscribe(subscription("app-a", "on-release").build());

        // When an event with a 600 KB payload arrives
        fanout.emit(event("e1").setPayload("{\"blob\":\"" + "w".repeat(600_000) + "\"}").build());

        // Then it is a dead letter saying how large it is and what to do; nothing is triggered or started
        assertThat(fanout.deadLetters()).singleElement().satisfies(letter -> assertThat(
                FanoutDriver.header(letter, dev.fanout.deadletter.DeadLetters.REASON))
                .contains("event e1 is about").contains("bytes an event may take").contains("reference"));
        assertThat(fanout.triggers()).isEmpty();
        assertThat(fanout.treeDone()).isEmpty();
    }

    @Test
    void anOutputLargerThanOneResultMayBeFailsItsRunForGoodSayingWhy() {
        // Given one child, with attempts to spare
        fanout.subscribe(subscription("app-a", "on-release").setRetry(new RetryPolicy(3, 100L, 1.0)).build());
        fanout.emit(event("e1").build());
        Trigger trigger = fanout.triggers().get(0);

        // When it succeeds with a 600 KB output (more than half the budget)
        fanout.report(succeeded(fanout, trigger, "\"" + "z".repeat(600_000) + "\""));

        // Then the run fails without a retry, its result and the tree saying why; nothing vanished silently
        ChildResult result = fanout.fanOutDone().get(0).value().getResults().get(0);
        assertThat(result.getStatus()).isEqualTo(ChildStatus.FAILED);
        assertThat(result.getOutput()).isNull();
        assertThat(result.getError()).contains("output of about").contains("so the run fails").contains("reference");
        assertThat(fanout.triggers()).as("no retry: the same run would return the same output").isEmpty();
        TreeDone done = fanout.treeDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(done.getFailures()).singleElement().satisfies(f -> assertThat(f.getError()).contains("output of about"));
    }

    @Test
    void aSealCountingMoreChildrenThanReachedTheTreeFailsTheFanOutCountingThemFailed() {
        // Given a plan of two children of which only one record reached the tree (the other was refused)
        TestInputTopic<String, PlanRecord> plans = fanout.driver().createInputTopic(
                "fanout-" + TopologyNames.MATCHER_PLANS_BY_TREE + "-repartition", new StringSerializer(),
                fanout.topics().serdes().forValues(PlanRecord.class).serializer());
        plans.pipeInput("e1", new PlanRecord("e1", "e1", new PlanOpened(event("e1").build(), "fanout.artifact-events", 0, 0L)));
        plans.pipeInput("e1", new PlanRecord("e1", "e1", new PlannedChildren(List.of(child("r-1", 0)))));

        // When the seal says two
        plans.pipeInput("e1", new PlanRecord("e1", "e1", new PlanSealed(2, null)));
        fanout.report(succeeded(fanout, fanout.triggers().get(0), "{}"));

        // Then the fan-out and the tree fail, with the missing child counted as failed
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(done.getCounts().getTotal()).isEqualTo(2);
        assertThat(done.getCounts().getFailed()).isEqualTo(1);
        TreeDone tree = fanout.treeDone().get(0).value();
        assertThat(tree.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(tree.getCounts().getTotal()).isEqualTo(2);
    }

    private static PlannedChild child(String runId, int index) {
        return PlannedChild.newBuilder()
                .setRunId(runId)
                .setSubscriptionId("app-a/per-target")
                .setRepo("app-a")
                .setWorkflow("build")
                .setItemIndex(index)
                .setInputs(new HashMap<>())
                .build();
    }
}
