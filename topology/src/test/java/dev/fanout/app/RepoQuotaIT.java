package dev.fanout.app;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.app.SimulatedWorker.Received;
import dev.fanout.app.SimulatedWorker.Work;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.RunState;
import dev.fanout.avro.TreeDone;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A repository's {@code max_in_flight} on a real broker, exactly-once: the coordinator and the admission
 * stage talk through their topics, and a worker of the repository never has more runs than the limit.
 */
@ExtendWith(PipelineExtension.class)
class RepoQuotaIT {

    private static Pipeline fanout;

    @BeforeAll
    static void shareThePipeline(@PipelineExtension.Shared Pipeline pipeline) {
        fanout = pipeline;
    }

    @Test
    void fourTreesStartedTogetherNeverHaveMoreRunsOfTheRepositoryInFlightThanItsLimit() throws Exception {
        // Given app-q may have three runs in flight, and subscribes to every item of quota-lib's releases
        int limit = 3;
        int width = 20;
        fanout.subscribe(subscription("app-q", "per-item").setArtifact("quota-lib:release")
                .setForeach("event.payload.items").build());
        fanout.limit("app-q", limit);
        fanout.awaitCaughtUp();

        try (SimulatedWorker worker = new SimulatedWorker(fanout, t -> t.getRepo().equals("app-q"),
                trigger -> Work.succeed(), limit + 4, 1_000, 7L)) {
            // and the pipeline has read the limit: a probe tree's run went through the admission stage
            fanout.emit(event("quota-probe").setArtifact("quota-lib:release").setPayload(items(1)).build());
            await().atMost(Duration.ofSeconds(60)).until(() -> fanout.admissionGrants("quota-probe") >= 1);
            fanout.awaitTreeDone("quota-probe");
            int probe = worker.received().size();

            // When four trees of twenty children start together
            List<String> trees = List.of("quota-e1", "quota-e2", "quota-e3", "quota-e4");
            for (String tree : trees) {
                fanout.emit(event(tree).setArtifact("quota-lib:release").setPayload(items(width)).build());
            }

            // Then every tree ends with exact counts
            for (String tree : trees) {
                TreeDone done = fanout.awaitTreeDone(tree);
                assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
                assertThat(done.getCounts()).isEqualTo(new Counts((long) width, (long) width, 0L, 0L, 0L, 0L, 0L, 0L));
                assertThat(fanout.treeDone(tree)).hasSize(1);
            }
            List<Received> received = worker.received();
            assertThat(worker.errors()).isEmpty();

            // and at every trigger the worker received, received minus ended never exceeded the limit, and reached it
            List<Integer> inFlightAtEachTrigger = IntStream.range(probe, received.size())
                    .map(i -> i + 1 - received.get(i).terminalSentBefore()).boxed().toList();
            assertThat(inFlightAtEachTrigger).hasSize(4 * width)
                    .allSatisfy(inFlight -> assertThat(inFlight).isLessThanOrEqualTo(limit))
                    .contains(limit);
            // and each run was triggered once
            assertThat(received.subList(probe, received.size())).extracting(r -> r.trigger().getRunId())
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void aTreeOfTenStartedAfterATreeOfTwoThousandFinishesWhileMostOfTheBigTreeIsStillToRun() throws Exception {
        // Given app-f may have a hundred runs in flight (the big tree needs twenty rounds of slots: each round
        // is a few commits of round trip, so a smaller limit would take minutes), and subscribes to every item
        // of fair-lib's releases
        int limit = 100;
        int big = 2_000;
        int small = 10;
        fanout.subscribe(subscription("app-f", "per-item").setArtifact("fair-lib:release")
                .setForeach("event.payload.items").build());
        fanout.limit("app-f", limit);
        fanout.awaitCaughtUp();

        try (SimulatedWorker worker = new SimulatedWorker(fanout, t -> t.getRepo().equals("app-f"),
                trigger -> Work.succeed(), limit + 4, 10, 11L)) {
            // and the pipeline has read the limit: a probe tree's run went through the admission stage
            fanout.emit(event("fair-probe").setArtifact("fair-lib:release").setPayload(items(1)).build());
            await().atMost(Duration.ofSeconds(60)).until(() -> fanout.admissionGrants("fair-probe") >= 1);
            fanout.awaitTreeDone("fair-probe");

            // When a tree of 2,000 starts, its first runs are triggered, and then a tree of ten starts
            fanout.emit(event("fair-big").setArtifact("fair-lib:release").setPayload(items(big)).build());
            await().atMost(Duration.ofSeconds(60)).until(() -> received(worker, "fair-big") >= limit);
            fanout.emit(event("fair-small").setArtifact("fair-lib:release").setPayload(items(small)).build());

            // Then the small tree is done while most of the big one's runs have not even been triggered
            TreeDone smallDone = fanout.awaitTreeDone("fair-small");
            long bigEnded = worker.sent().stream().filter(s -> s.status().getTreeId().equals("fair-big")
                    && s.status().getStatus() != RunState.STARTED).count();
            long bigTriggered = received(worker, "fair-big");
            assertThat(bigTriggered).as("runs of the big tree triggered when the small one was done")
                    .isLessThan(big / 2);
            assertThat(bigEnded).isLessThan(big / 2);
            assertThat(smallDone.getCounts()).isEqualTo(new Counts((long) small, (long) small, 0L, 0L, 0L, 0L, 0L, 0L));
            // and both trees end exactly once with exact counts, the limit held at every trigger
            TreeDone bigDone = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> fanout.treeDone("fair-big"), done -> !done.isEmpty()).get(0);
            assertThat(bigDone.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(bigDone.getCounts()).isEqualTo(new Counts((long) big, (long) big, 0L, 0L, 0L, 0L, 0L, 0L));
            assertThat(fanout.treeDone("fair-big")).hasSize(1);
            assertThat(fanout.treeDone("fair-small")).hasSize(1);
            assertThat(worker.errors()).isEmpty();
            List<Received> received = worker.received();
            assertThat(IntStream.range(0, received.size()).map(i -> i + 1 - received.get(i).terminalSentBefore()))
                    .allSatisfy(inFlight -> assertThat(inFlight).isLessThanOrEqualTo(limit));
        }
    }

    private static long received(SimulatedWorker worker, String treeId) {
        return worker.received().stream().filter(r -> r.trigger().getTreeId().equals(treeId)).count();
    }

    private static String items(int count) {
        return IntStream.range(0, count).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "{\"items\":[", "]}"));
    }
}
