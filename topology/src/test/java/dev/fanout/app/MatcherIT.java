package dev.fanout.app;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.avro.Trigger;
import dev.fanout.deadletter.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The matcher and tree stage on a real KRaft broker and the real embedded registry, exactly-once. */
@ExtendWith(PipelineExtension.class)
class MatcherIT {

    @Test
    void eventsTriggerExactlyTheirSubscribersOnce(Pipeline fanout) throws Exception {
        // Given two subscribers to lib-core:release and one to another artifact
        fanout.subscribe(subscription("app-a", "on-release").build());
        fanout.subscribe(subscription("app-b", "per-target").setForeach("event.payload.targets").build());
        fanout.subscribe(subscription("app-c", "on-nightly").setArtifact("lib-core:nightly").build());
        fanout.awaitCaughtUp();

        // When a release event arrives, twice
        fanout.emit(event("e1").build());
        fanout.emit(event("e1").build());
        fanout.awaitCaughtUp();

        // Then exactly app-a once and app-b once per target are triggered
        assertThat(fanout.triggers()).extracting(Trigger::getSubscriptionId, Trigger::getItemIndex)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("app-a/on-release", null),
                        org.assertj.core.groups.Tuple.tuple("app-b/per-target", 0),
                        org.assertj.core.groups.Tuple.tuple("app-b/per-target", 1));
    }

    @Test
    void aRestartedInstanceKeepsTheIndex(Pipeline fanout) throws Exception {
        // Given a subscriber indexed by a first instance, which then stops
        fanout.subscribe(subscription("app-a", "on-release").build());
        fanout.awaitCaughtUp();
        fanout.stop();

        // When a new instance starts on the same state directory and an event arrives
        fanout.start();
        fanout.emit(event("e1").build());
        fanout.awaitCaughtUp();

        // Then the subscriber is triggered, without its subscription being sent again
        assertThat(fanout.triggers()).extracting(Trigger::getSubscriptionId).containsExactly("app-a/on-release");
    }

    @Test
    void undecodableBytesAreADeadLetterAndTheNextEventIsStillTriggered(Pipeline fanout) throws Exception {
        // Given a subscriber
        fanout.subscribe(subscription("app-a", "on-release").build());
        fanout.awaitCaughtUp();

        // When bytes that are not Avro arrive, then a good event on the same partition
        fanout.send(fanout.topics().artifactEvents().name(), "lib-core:release",
                "garbage".getBytes(StandardCharsets.UTF_8));
        fanout.emit(event("e1").build());
        fanout.awaitCaughtUp();

        // Then the bytes are a dead letter with the reason, and the event is triggered
        List<ConsumerRecord<byte[], byte[]>> deadLetters = fanout.deadLetters();
        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.value()).isEqualTo("garbage".getBytes(StandardCharsets.UTF_8));
            assertThat(FanoutDriver.header(letter.headers(), DeadLetters.REASON)).startsWith("cannot read the record");
        });
        assertThat(fanout.triggers()).hasSize(1);
    }

    @Test
    void aPlanStoppedBetweenStepsResumesOnRestartWithEveryChildTriggeredOnce(
            @PipelineExtension.Options(settings = "fanout.plan.children.per.step=10") Pipeline fanout) throws Exception {
        // Given steps of 10 children and a foreach subscription, and an event listing 1,000 targets
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets")
                .setInputs(Map.of("target", "item")).build());
        fanout.awaitCaughtUp();
        String targets = IntStream.range(0, 1_000).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
        fanout.emit(event("wide").setPayload("{\"targets\":[" + targets + "]}").build());

        // When the instance stops while the plan is being written, and a new one starts on its state
        await().atMost(Pipeline.PATIENCE).pollInterval(Pipeline.POLL).until(() -> fanout.triggers().size() >= 20);
        fanout.stop();
        int beforeRestart = fanout.triggers().size();
        fanout.start();

        // Then the plan was stopped midway, and every child is triggered exactly once in the end
        assertThat(beforeRestart).isLessThan(1_000);
        await().atMost(Pipeline.PATIENCE).pollInterval(Pipeline.POLL).until(() -> fanout.triggers().size() >= 1_000);
        fanout.awaitCaughtUp();
        List<Trigger> triggers = fanout.triggers();
        assertThat(triggers).hasSize(1_000).extracting(Trigger::getRunId).doesNotHaveDuplicates();
        assertThat(triggers).extracting(Trigger::getItemIndex)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1_000).boxed().toList());
    }
}
