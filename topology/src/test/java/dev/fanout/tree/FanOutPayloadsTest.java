package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Counts;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.config.TopologyNames;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fan-out's node is read and rewritten by every report of its children; its event's payload, as large as
 * a {@code foreach} list, is kept apart (store {@code tree.fan-out-payloads}), written once and read only to
 * build triggers. Nodes written before hold the payload themselves and are still read.
 */
class FanOutPayloadsTest {

    @TempDir
    Path stateDir;

    @Test
    void theNodeHoldsTheEventWithoutItsPayloadAndTriggersStillCarryWhatTheyDidBefore() {
        try (FanoutDriver fanout = new FanoutDriver(stateDir)) {
            // Given a foreach over 50 targets and a plain subscription to the same event
            String targets = IntStream.range(0, 50).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
            String payload = "{\"channel\":\"stable\",\"targets\":[" + targets + "]}";
            fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
            fanout.subscribe(subscription("app-b", "whole").build());

            // When the event fans out
            fanout.emit(event("e1").setPayload(payload).build());

            // Then its node holds the event without the payload, and the payload is stored once, apart
            FanOutNode node = fanOuts(fanout).get("e1");
            assertThat(node.getPayloadApart()).isTrue();
            assertThat(node.getEvent().getPayload()).isEmpty();
            assertThat(node.getEvent().getEventId()).isEqualTo("e1");
            KeyValueStore<String, String> payloads = fanout.driver().getKeyValueStore(TopologyNames.TREE_FAN_OUT_PAYLOADS);
            assertThat(payloads.get("e1")).isEqualTo(payload);

            // And the plain child's trigger carries the whole payload, the foreach children's all but their list
            List<Trigger> triggers = fanout.triggers();
            assertThat(triggers).hasSize(51);
            Map<String, List<Trigger>> bySubscription = triggers.stream()
                    .collect(Collectors.groupingBy(Trigger::getSubscriptionId));
            assertThat(bySubscription.get("app-b/whole")).singleElement()
                    .satisfies(t -> assertThat(t.getEvent().getPayload()).isEqualTo(payload));
            assertThat(bySubscription.get("app-a/per-target")).hasSize(50)
                    .allSatisfy(t -> assertThat(t.getEvent().getPayload()).isEqualTo("{\"channel\":\"stable\"}"));

            // When every child succeeds, then the tree ends and its node still holds no payload
            triggers.forEach(t -> fanout.report(succeeded(fanout, t, "{}")));
            assertThat(fanout.treeDone()).hasSize(1);
            assertThat(fanOuts(fanout).get("e1").getEvent().getPayload()).isEmpty();
        }
    }

    @Test
    void aNodeWrittenBeforeHoldsItsPayloadAndIsReadAsItWas() {
        TreeState state = new TreeState(InMemoryCoordinatorStores.lookup());
        FanOutNode before = node("old").setEvent(event("old").setPayload("{\"a\":1}").build()).build();

        assertThat(before.getPayloadApart()).as("the default of a node written before").isFalse();
        assertThat(state.event(before).getPayload()).isEqualTo("{\"a\":1}");
    }

    @Test
    void aPayloadKeptApartIsReadBackWholeAndGoesWithItsFanOut() {
        TreeState state = new TreeState(InMemoryCoordinatorStores.lookup());
        ArtifactEvent event = event("e2").setPayload("{\"targets\":[1,2,3]}").build();
        FanOutNode node = node("e2").setEvent(state.keepPayloadApart("e2", event)).setPayloadApart(true).build();
        state.save(node);
        state.flush();

        assertThat(state.event(state.fanOut("e2"))).isEqualTo(event);

        state.deleteFanOut("e2");
        assertThatThrownBy(() -> state.event(node))
                .hasMessageContaining("fan-out e2 of tree t")
                .hasMessageContaining(TopologyNames.TREE_FAN_OUT_PAYLOADS);
    }

    private static FanOutNode.Builder node(String fanOutId) {
        return FanOutNode.newBuilder().setFanOutId(fanOutId).setTreeId("t").setChildDepth(1).setCounts(new Counts());
    }

    private static KeyValueStore<String, FanOutNode> fanOuts(FanoutDriver fanout) {
        return fanout.driver().getKeyValueStore(TopologyNames.TREE_FAN_OUTS);
    }
}
