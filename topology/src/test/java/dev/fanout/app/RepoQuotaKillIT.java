package dev.fanout.app;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.app.SimulatedWorker.Received;
import dev.fanout.app.SimulatedWorker.Work;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A repository's {@code max_in_flight} across a kill: the topology (in a child JVM) is killed (SIGKILL) while
 * runs of the repository are in flight and others wait for a slot, and is started again on its state
 * directory. The admission stage's counts survive: the limit holds throughout, and every tree ends once.
 */
@ExtendWith(PipelineExtension.class)
class RepoQuotaKillIT {

    private static final String ARTIFACT = "qkill-lib:release";
    private static final List<String> TREES = List.of("qkill-e1", "qkill-e2");

    @Test
    void theLimitHoldsAcrossAKillAndEveryTreeEndsOnce(@PipelineExtension.Options(started = false) Pipeline fanout)
            throws Exception {
        // Given the topology in a child JVM, app-k limited to two runs in flight, and a worker of app-k
        int limit = 2;
        int width = 8;
        Path childLog = ChildFanout.logFile("RepoQuotaKillIT");
        try (ChildFanout child = ChildFanout.start(fanout.settings(), childLog);
                SimulatedWorker worker = new SimulatedWorker(fanout, t -> t.getRepo().equals("app-k"),
                        trigger -> Work.succeed(), limit + 3, 800, 31L)) {
            fanout.subscribe(subscription("app-k", "per-item").setArtifact(ARTIFACT)
                    .setForeach("event.payload.items").build());
            fanout.limit("app-k", limit);
            fanout.awaitCaughtUp();
            // and the topology has read the limit: a probe tree's run went through the admission stage
            fanout.emit(event("qkill-probe").setArtifact(ARTIFACT).setPayload(items(1)).build());
            await().atMost(Pipeline.PATIENCE).until(() -> fanout.admissionGrants("qkill-probe") >= 1);
            fanout.awaitTreeDone("qkill-probe");
            int probe = worker.received().size();

            // When two trees of eight start, and the topology is killed once a few runs have ended
            for (String tree : TREES) {
                fanout.emit(event(tree).setArtifact(ARTIFACT).setPayload(items(width)).build());
            }
            await().atMost(Pipeline.PATIENCE).pollInterval(Pipeline.POLL)
                    .until(() -> worker.sent().size() >= probe + 4);
            child.kill();

            // And started again (in this JVM) on the killed one's state directory
            fanout.start();

            // Then every tree ends once, SUCCEEDED, with exact counts
            for (String tree : TREES) {
                TreeDone done = fanout.awaitTreeDone(tree);
                assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
                assertThat(done.getCounts()).isEqualTo(new Counts((long) width, (long) width, 0L, 0L, 0L, 0L, 0L, 0L));
            }
            fanout.awaitCaughtUp();
            for (String tree : TREES) {
                assertThat(fanout.treeDone(tree)).hasSize(1);
                assertThat(fanout.triggers(tree)).extracting(t -> t.getRunId() + "#" + t.getAttempt())
                        .doesNotHaveDuplicates().hasSize(width);
            }
            // And at every trigger the worker received, its runs in flight never exceeded the limit
            List<Received> received = worker.received();
            List<Integer> inFlightAtEachTrigger = IntStream.range(probe, received.size())
                    .map(i -> i + 1 - received.get(i).terminalSentBefore()).boxed().toList();
            assertThat(inFlightAtEachTrigger).hasSize(2 * width)
                    .allSatisfy(inFlight -> assertThat(inFlight).isLessThanOrEqualTo(limit));
            assertThat(worker.receivedTriggers()).extracting(Trigger::getRunId).doesNotHaveDuplicates();
            assertThat(worker.errors()).isEmpty();
        }
    }

    private static String items(int count) {
        return IntStream.range(0, count).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "{\"items\":[", "]}"));
    }
}
