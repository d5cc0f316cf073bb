package dev.fanout.matcher;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.internal.PlanCursor;
import dev.fanout.avro.internal.PlanHeader;
import dev.fanout.avro.internal.PlanPosition;
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
 * The plans the matcher is writing in steps, in two stores keyed by event id. {@code matcher.plan-cursors}
 * holds per plan its event (the one copy later steps read their foreach lists from), and the timestamp and
 * headers its records carry: written once, when the first step leaves children for later. {@code
 * matcher.plan-positions} holds where the next step starts and how many children were sent: rewritten at
 * every step. Both exist from the first step of a plan wider than a step until the step that sends its seal.
 *
 * <p>They are apart because an event may be megabytes (a {@code foreach} list of 1,000,000 items is 6.9 MB):
 * when the cursor held the position too, the event was written whole to RocksDB and the changelog at every
 * step, and a plan of 1,000,000 children in steps of 10,000 had not finished after 13 minutes, its stream
 * thread seeking the next plan in RocksDB in every thread dump (docs/matcher.md). The cursor of the plan being
 * stepped is kept decoded between steps.
 */
final class PlanCursors {

    /** A plan in progress, and where its next step starts. */
    record Open(String eventId, PlanPosition position) {
    }

    private final KeyValueStore<String, PlanCursor> cursors;
    private final KeyValueStore<String, PlanPosition> positions;
    /** The cursor of the plan the last step continued, decoded once for all its steps. */
    private String lastEventId;
    private PlanCursor lastCursor;

    /**
     * Opens the stores and gives a position to every cursor without one: a plan a Fanout without
     * {@code matcher.plan-positions} was writing continues from where its cursor says.
     */
    PlanCursors(KeyValueStore<String, PlanCursor> cursors, KeyValueStore<String, PlanPosition> positions) {
        this.cursors = Objects.requireNonNull(cursors, "cursors");
        this.positions = Objects.requireNonNull(positions, "positions");
        List<KeyValue<String, PlanPosition>> missing = new ArrayList<>();
        try (KeyValueIterator<String, PlanCursor> all = cursors.all()) {
            all.forEachRemaining(entry -> {
                if (positions.get(entry.key) == null) {
                    missing.add(KeyValue.pair(entry.key, positionOf(entry.value)));
                }
            });
        }
        missing.forEach(entry -> positions.put(entry.key, entry.value));
    }

    /** Whether a plan of the event is in progress. */
    boolean inProgress(String eventId) {
        return positions.get(eventId) != null;
    }

    /** The plan's event, timestamp and headers (the position in it is the first step's: see {@link #after}). */
    PlanCursor cursor(String eventId) {
        if (!eventId.equals(lastEventId)) {
            PlanCursor cursor = cursors.get(eventId);
            if (cursor == null) {
                throw new IllegalStateException("the plan of event " + eventId + " has a position in "
                        + "matcher.plan-positions but no cursor in matcher.plan-cursors");
            }
            lastEventId = eventId;
            lastCursor = cursor;
        }
        return lastCursor;
    }

    void open(ArtifactEvent event, String treeId, long timestamp, Headers headers, ChildPlanner.Position next,
            int planned) {
        List<PlanHeader> kept = new ArrayList<>();
        for (Header header : headers) {
            kept.add(new PlanHeader(header.key(), header.value() == null ? null : ByteBuffer.wrap(header.value())));
        }
        String eventId = event.getEventId();
        cursors.put(eventId, PlanCursor.newBuilder().setTreeId(treeId).setEvent(event).setTimestamp(timestamp)
                .setHeaders(kept).setSubscriptionId(next.subscriptionId()).setOffset(next.offset())
                .setPlanned(planned).build());
        advance(eventId, next, planned);
    }

    void advance(String eventId, ChildPlanner.Position next, int planned) {
        positions.put(eventId, new PlanPosition(next.subscriptionId(), next.offset(), planned));
    }

    void close(String eventId) {
        positions.delete(eventId);
        cursors.delete(eventId);
        if (eventId.equals(lastEventId)) {
            lastEventId = null;
            lastCursor = null;
        }
    }

    /**
     * The plan in progress that comes next in event id order after {@code eventId} (the first one when it is
     * null), with where its next step starts, or null.
     */
    Open after(String eventId) {
        try (KeyValueIterator<String, PlanPosition> next = positions.range(eventId, null)) {
            while (next.hasNext()) {
                KeyValue<String, PlanPosition> entry = next.next();
                if (!entry.key.equals(eventId)) {
                    return new Open(entry.key, entry.value);
                }
            }
        }
        return null;
    }

    private static PlanPosition positionOf(PlanCursor cursor) {
        return new PlanPosition(cursor.getSubscriptionId(), cursor.getOffset(), cursor.getPlanned());
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
