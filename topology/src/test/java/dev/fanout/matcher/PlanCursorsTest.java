package dev.fanout.matcher;

import static dev.fanout.app.Samples.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.internal.PlanCursor;
import dev.fanout.avro.internal.PlanPosition;
import dev.fanout.config.AvroSerdes;
import dev.fanout.config.TopologyNames;
import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A plan in progress across an upgrade: a Fanout without {@code matcher.plan-positions} kept where the next
 * step starts in the cursor itself, rewritten at every step. Such a cursor continues from its own position.
 */
class PlanCursorsTest {

    private final KeyValueStore<String, PlanCursor> cursors = store(TopologyNames.MATCHER_PLAN_CURSORS, PlanCursor.class);
    private final KeyValueStore<String, PlanPosition> positions =
            store(TopologyNames.MATCHER_PLAN_POSITIONS, PlanPosition.class);

    @Test
    void aCursorWithoutAPositionContinuesFromWhereItSays() {
        // Given the cursor of a plan in progress, written by a Fanout that kept positions in it
        cursors.put("e1", cursor("e1", "app-a/per-target", 300, 301));

        // When the matcher starts
        PlanCursors plans = new PlanCursors(cursors, positions);

        // Then the plan is in progress, and its next step starts where the cursor said
        assertThat(plans.inProgress("e1")).isTrue();
        assertThat(plans.after(null)).isEqualTo(new PlanCursors.Open("e1", new PlanPosition("app-a/per-target", 300, 301)));
        assertThat(plans.after("e1")).isNull();
    }

    @Test
    void aPositionOverridesTheFirstStepsPositionInTheCursor() {
        // Given a cursor written at the first step, and the position of a later step
        cursors.put("e1", cursor("e1", "app-a/per-target", 100, 101));
        positions.put("e1", new PlanPosition("app-a/per-target", 500, 501));

        // When the matcher starts
        PlanCursors plans = new PlanCursors(cursors, positions);

        // Then the later position stands
        assertThat(plans.after(null).position()).isEqualTo(new PlanPosition("app-a/per-target", 500, 501));
    }

    @Test
    void closingAPlanForgetsItsCursorAndPosition() {
        PlanCursors plans = new PlanCursors(cursors, positions);
        plans.open(event("e1").build(), "e1", 42L, new org.apache.kafka.common.header.internals.RecordHeaders(),
                new ChildPlanner.Position("app-a/per-target", 100), 101);
        assertThat(plans.cursor("e1").getTimestamp()).isEqualTo(42L);

        plans.close("e1");

        assertThat(plans.inProgress("e1")).isFalse();
        assertThat(cursors.get("e1")).isNull();
        assertThat(plans.after(null)).isNull();
    }

    private static PlanCursor cursor(String eventId, String subscriptionId, int offset, int planned) {
        return PlanCursor.newBuilder().setTreeId(eventId).setEvent(event(eventId).build()).setTimestamp(0L)
                .setHeaders(List.of()).setSubscriptionId(subscriptionId).setOffset(offset).setPlanned(planned).build();
    }

    /** A store in memory with the topology's serdes (a registry of its own: the mock context names every changelog alike). */
    private static <V extends org.apache.avro.specific.SpecificRecord> KeyValueStore<String, V> store(String name, Class<V> type) {
        AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", "http://in-memory:8081"),
                new InMemorySchemaRegistryClient());
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                serdes.forValues(type)).withLoggingDisabled().build();
        store.init(new MockProcessorContext<>(new Properties()).getStateStoreContext(), store);
        return store;
    }
}
