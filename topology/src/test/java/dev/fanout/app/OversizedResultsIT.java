package dev.fanout.app;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One tree whose results are far larger than a record may be (300 children returning 6 KB each: 1.8 MB)
 * on a real broker with its default limits, exactly-once: its FanOutDone is cut to fit, and the trees
 * started after it complete. The pipeline is this class's own, so a stuck partition would show here only.
 */
@ExtendWith(PipelineExtension.class)
class OversizedResultsIT {

    private static final String BIG = "big-e1";
    private static final List<String> SMALL = List.of("small-e1", "small-e2", "small-e3");

    private static Pipeline fanout;

    @BeforeAll
    static void ownPipeline(Pipeline pipeline) {
        fanout = pipeline;
    }

    @Test
    void otherTreesCompleteWhileOneTreeHasOversizedResults() throws Exception {
        // Given a map subscription over 300 targets whose runs return 6 KB each, and a small subscription
        fanout.subscribe(subscription("big-a", "per-target").setArtifact("big-lib:release")
                .setForeach("event.payload.targets").build());
        fanout.subscribe(subscription("small-b", "plain").setArtifact("small-lib:release").build());
        fanout.awaitCaughtUp();
        String output = "\"" + "x".repeat(6_000) + "\"";
        Set<String> trees = Set.of(BIG, SMALL.get(0), SMALL.get(1), SMALL.get(2));
        try (SimulatedWorker worker = new SimulatedWorker(fanout, t -> trees.contains(t.getTreeId()),
                t -> t.getTreeId().equals(BIG) ? SimulatedWorker.Work.succeed().withOutput(output)
                        : SimulatedWorker.Work.succeed(), 8, 5, 18L)) {

            // When the big tree starts, then three small ones after it
            String targets = IntStream.range(0, 300).mapToObj(Integer::toString).collect(Collectors.joining(","));
            fanout.emit(event(BIG).setArtifact("big-lib:release").setPayload("{\"targets\":[" + targets + "]}").build());
            for (String small : SMALL) {
                fanout.emit(event(small).setArtifact("small-lib:release").build());
            }

            // Then the big tree completes, with a FanOutDone within the broker's limit that says what it left out
            TreeDone big = fanout.awaitTreeDone(BIG);
            assertThat(big.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(big.getCounts().getSucceeded()).isEqualTo(300);
            ConsumerRecord<String, FanOutDone> done = fanout.awaitFanOutDone(BIG, BIG);
            assertThat(done.serializedValueSize()).isLessThan(1_048_576);
            assertThat(done.value().getResultsTruncated()).isTrue();
            assertThat(done.value().getResults()).isNotEmpty();
            assertThat(done.value().getResultsOmitted()).isEqualTo(300L - done.value().getResults().size());
            // And every small tree started after it completes too
            for (String small : SMALL) {
                assertThat(fanout.awaitTreeDone(small).getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            }
            assertThat(worker.errors()).isEmpty();
        }
        // And nothing of these trees went to the dead letters; each tree has one TreeDone
        fanout.awaitCaughtUp();
        assertThat(fanout.deadLetters()).isEmpty();
        for (String tree : trees) {
            assertThat(fanout.treeDone(tree)).hasSize(1);
        }
        assertThat(fanout.triggers(BIG)).extracting(Trigger::getAttempt).containsOnly(1).hasSize(300);
    }
}
