package dev.fanout.matcher;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.internal.PlanCursor;
import dev.fanout.avro.internal.PlanHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The plans the matcher is writing in steps (store {@code matcher.plan-cursors}, key: event id): per plan,
 * its event (the one copy later steps read their foreach lists from), the timestamp and headers its records
 * carry, where the next step starts and how many children were sent. A cursor exists from the first step of
 * a plan wider than a step until the step that sends its seal.
 */
final class PlanCursors {

    /** A plan in progress. */
    record Open(String eventId, PlanCursor cursor) {
    }

    private final KeyValueStore<String, PlanCursor> store;

    PlanCursors(KeyValueStore<String, PlanCursor> store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    PlanCursor get(String eventId) {
        return store.get(eventId);
    }

    void open(ArtifactEvent event, String treeId, long timestamp, Headers headers, ChildPlanner.Position next,
            int planned) {
        List<PlanHeader> kept = new ArrayList<>();
        for (Header header : headers) {
            kept.add(new PlanHeader(header.key(), header.value() == null ? null : ByteBuffer.wrap(header.value())));
        }
        store.put(event.getEventId(), PlanCursor.newBuilder().setTreeId(treeId).setEvent(event).setTimestamp(timestamp)
                .setHeaders(kept).setSubscriptionId(next.subscriptionId()).setOffset(next.offset())
                .setPlanned(planned).build());
    }

    void advance(String eventId, PlanCursor cursor, ChildPlanner.Position next, int planned) {
        cursor.setSubscriptionId(next.subscriptionId());
        cursor.setOffset(next.offset());
        cursor.setPlanned(planned);
        store.put(eventId, cursor);
    }

    void close(String eventId) {
        store.delete(eventId);
    }

    /**
     * The plan in progress that comes next in event id order after {@code eventId} (the first one when it is
     * null), or null. One at a time: a cursor holds its whole event, so a step reads only the plans it
     * reaches, however many are in progress.
     */
    Open after(String eventId) {
        try (KeyValueIterator<String, PlanCursor> next = store.range(eventId, null)) {
            while (next.hasNext()) {
                KeyValue<String, PlanCursor> entry = next.next();
                if (!entry.key.equals(eventId)) {
                    return new Open(entry.key, entry.value);
                }
            }
        }
        return null;
    }

    /** The headers of the event record, as the cursor keeps them. */
    static Headers headers(PlanCursor cursor) {
        RecordHeaders headers = new RecordHeaders();
        for (PlanHeader header : cursor.getHeaders()) {
            ByteBuffer value = header.getValue();
            byte[] bytes = null;
            if (value != null) {
                bytes = new byte[value.remaining()];
                value.duplicate().get(bytes);
            }
            headers.add(header.getKey(), bytes);
        }
        return headers;
    }
}
