package dev.fanout.app;

import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.deadletter.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every kind of bad input of the design, mixed into valid load on a real broker, exactly-once: every valid
 * tree completes, every event sent is accounted for (a TreeDone or a dead letter), and each dead letter's
 * headers name the reason and where the record was read (topic, partition, offset).
 */
@ExtendWith(PipelineExtension.class)
class PoisonSuiteIT {

    private static final int VALID = 30;
    private static final int CYCLIC = 20;

    private static Pipeline fanout;

    @BeforeAll
    static void ownPipeline(@PipelineExtension.Options(settings = {"fanout.max.width=5", "fanout.max.depth=2"})
            Pipeline pipeline) {
        fanout = pipeline;
    }

    @Test
    void badInputIsDeadLetteredOrRecordedWhileEveryValidTreeCompletes() throws Exception {
        // Given plain subscribers, a map subscriber, a chain three levels deep and a cycle between two repos
        fanout.subscribe(subscription("ok-a", "plain").setArtifact("ok-lib:release").build());
        fanout.subscribe(subscription("map-a", "per-target").setArtifact("map-lib:release")
                .setForeach("event.payload.targets").build());
        fanout.subscribe(subscription("deep-1", "l1").setArtifact("deep-lib:release").build());
        fanout.subscribe(subscription("deep-2", "l2").setArtifact("deep-1:image").build());
        fanout.subscribe(subscription("deep-3", "l3").setArtifact("deep-2:image").build());
        fanout.subscribe(subscription("cyc-a", "build").setArtifact("cyc-lib:release").build());
        fanout.subscribe(subscription("cyc-b", "build").setArtifact("cyc-a:image").build());
        fanout.subscribe(subscription("cyc-a", "again").setArtifact("cyc-b:image").setWorkflow("build").build());
        fanout.subscribe(subscription("big-out", "plain").setArtifact("big-out-lib:release").build());
        fanout.awaitCaughtUp();

        String events = fanout.topics().artifactEvents().name();
        Set<String> validTrees = new HashSet<>();
        Map<String, RecordMetadata> badSent = new HashMap<>();
        try (SimulatedWorker worker = new SimulatedWorker(fanout, t -> true, PoisonSuiteIT::work, 8, 5, 10L)) {

            // When valid trees and bad input are sent interleaved
            for (int i = 0; i < VALID; i++) {
                String id = "ok-" + i;
                fanout.emit(event(id).setArtifact("ok-lib:release").build());
                validTrees.add(id);
                switch (i) {
                    case 2 -> badSent.put("undecodable", fanout.send(events, "ok-lib:release", new byte[] {1, 2, 3}));
                    case 5 -> badSent.put("wrong magic byte", fanout.send(events, "ok-lib:release",
                            withByte(fanout.serialize(event("bad-magic").setArtifact("ok-lib:release").build()), 0, 1)));
                    case 8 -> badSent.put("unknown schema id", fanout.send(events, "ok-lib:release",
                            unknownSchemaId(fanout.serialize(event("bad-id").setArtifact("ok-lib:release").build()))));
                    case 11 -> badSent.put("payload not JSON", fanout.emitRecorded(
                            event("bad-json").setArtifact("ok-lib:release").setPayload("{oops").build()));
                    case 14 -> badSent.put("bad semver", fanout.emitRecorded(
                            event("bad-semver").setArtifact("ok-lib:release").setSchemaVersion("1.2").build()));
                    case 17 -> badSent.put("oversize event", fanout.emitRecorded(event("bad-big").setArtifact("ok-lib:release")
                            .setPayload("{\"blob\":\"" + "b".repeat(600_000) + "\"}").build()));
                    case 20 -> badSent.put("foreach beyond the width cap", fanout.emitRecorded(event("bad-wide")
                            .setArtifact("map-lib:release").setPayload("{\"targets\":" + targets(10) + "}").build()));
                    default -> { }
                }
            }
            fanout.emit(event("deep-e1").setArtifact("deep-lib:release").build());
            validTrees.add("deep-e1");
            fanout.emit(event("big-out-e1").setArtifact("big-out-lib:release").build());
            validTrees.add("big-out-e1");
            for (int i = 0; i < CYCLIC; i++) {
                fanout.emit(event("cyc-" + i).setArtifact("cyc-lib:release").build());
                validTrees.add("cyc-" + i);
            }
            fanout.emit(event("map-ok").setArtifact("map-lib:release").setPayload("{\"targets\":" + targets(3) + "}").build());
            validTrees.add("map-ok");

            // Then every valid tree completes
            await().atMost(Pipeline.PATIENCE).pollInterval(Pipeline.POLL).until(() -> fanout.treeDone().stream()
                    .map(TreeDone::getTreeId).collect(Collectors.toSet()).containsAll(validTrees));
            assertThat(worker.errors()).isEmpty();
        }
        fanout.awaitCaughtUp();
        Map<String, List<TreeDone>> done = fanout.treeDone().stream().collect(Collectors.groupingBy(TreeDone::getTreeId));
        for (String tree : validTrees) {
            CompletionStatus expected = tree.equals("big-out-e1") ? CompletionStatus.FAILED : CompletionStatus.SUCCEEDED;
            assertThat(done.get(tree)).as(tree).singleElement()
                    .satisfies(d -> assertThat(d.getStatus()).as(tree).isEqualTo(expected));
        }

        // And the events in are the trees out plus the dead letters (the wide event's tree ends FAILED, refused)
        List<ConsumerRecord<byte[], byte[]>> letters = fanout.deadLetters();
        int eventsIn = validTrees.size() + badSent.size();
        assertThat(validTrees.size() + letters.size()).isEqualTo(eventsIn);
        assertThat(done.get("bad-wide")).singleElement()
                .satisfies(d -> assertThat(d.getStatus()).isEqualTo(CompletionStatus.FAILED));

        // And each dead letter says why, and where it was read
        for (Map.Entry<String, RecordMetadata> bad : badSent.entrySet()) {
            RecordMetadata sent = bad.getValue();
            List<ConsumerRecord<byte[], byte[]>> matching = letters.stream()
                    .filter(l -> header(l, ExceptionHandlerUtils.HEADER_ERRORS_TOPIC_NAME).equals(sent.topic())
                            && header(l, ExceptionHandlerUtils.HEADER_ERRORS_PARTITION_NAME)
                                    .equals(String.valueOf(sent.partition()))
                            && header(l, ExceptionHandlerUtils.HEADER_ERRORS_OFFSET_NAME)
                                    .equals(String.valueOf(sent.offset())))
                    .toList();
            assertThat(matching).as(bad.getKey()).singleElement()
                    .satisfies(l -> assertThat(header(l, DeadLetters.REASON)).as(bad.getKey()).isNotBlank());
        }

        // And what is recorded instead of dead-lettered says so in its tree
        assertThat(done.get("deep-e1").get(0).getCounts().getSkipped()).isEqualTo(1);
        for (int i = 0; i < CYCLIC; i++) {
            assertThat(done.get("cyc-" + i).get(0).getCounts().getSkipped()).as("cyc-" + i).isEqualTo(1);
        }
        ChildResult bigOut = fanout.awaitFanOutDone("big-out-e1", "big-out-e1").value().getResults().get(0);
        assertThat(bigOut.getStatus()).as("an output that cannot be carried fails its run").isEqualTo(ChildStatus.FAILED);
        assertThat(bigOut.getOutput()).isNull();
        assertThat(bigOut.getError()).contains("output of about").contains("so the run fails");
    }

    /** Runs emit one level deeper (deep-1, deep-2; cyc-a, cyc-b), listing what they emitted; big-out returns 600 KB. */
    private static SimulatedWorker.Work work(Trigger trigger) {
        String repo = trigger.getRepo();
        if (repo.equals("big-out")) {
            return SimulatedWorker.Work.succeed().withOutput("\"" + "o".repeat(600_000) + "\"");
        }
        if (repo.equals("deep-1") || repo.equals("deep-2") || repo.equals("cyc-a") || repo.equals("cyc-b")) {
            ArtifactEvent nested = childEvent(trigger.getRunId() + ".image", repo + ":image", trigger.getTreeId(),
                    trigger.getRunId()).setSourceRepo(repo).build();
            return SimulatedWorker.Work.succeed().emitting(nested).listingEmitted();
        }
        return SimulatedWorker.Work.succeed();
    }

    private static String targets(int n) {
        return IntStream.range(0, n).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
    }

    private static byte[] withByte(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    private static byte[] unknownSchemaId(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[1] = 0;
        copy[2] = 0;
        copy[3] = 0x27;
        copy[4] = 0x0F; // 9999
        return copy;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
