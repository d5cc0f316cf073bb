package dev.fanout.tree;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.EventOrigin;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trigger of a run: what the worker needs, from the run node and the fan-out it belongs to.
 *
 * <p>A trigger carries its fan-out's event, so that its size does not grow with the fan-out's width: a
 * subscription's child carries it whole (one copy per trigger, whatever the number of subscriptions), a
 * {@code foreach} child carries it without the payload members its list is read from
 * ({@code event_payload_omitted}), since the list is as long as the fan-out is wide; every trigger says
 * where the whole event is ({@code event_origin}). The event is read (its payload is kept apart from the
 * fan-out's node, {@link TreeState#event}) and cut once per fan-out and omission, not once per child: a
 * fan-out's children are triggered together, and cutting means parsing the payload.
 */
final class Triggers {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Events kept: enough for the fan-outs a few plan records or completions interleave. */
    private static final int CACHED = 16;
    /** Larger payloads are read again for each trigger rather than kept: the cache stays within 16 MiB of text. */
    private static final int CACHED_PAYLOAD_MAX = 1 << 20;

    private final TreeState state;
    private final Map<String, ArtifactEvent> events = new LinkedHashMap<>(CACHED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArtifactEvent> eldest) {
            return size() > CACHED;
        }
    };

    Triggers(TreeState state) {
        this.state = state;
    }

    /**
     * @param now when the run is triggered, by the coordinator's wall clock (never a record's timestamp):
     *     the deadline counts from it
     */
    Trigger of(FanOutNode fanOut, RunNode run, long now) {
        // Set field by field rather than through Trigger.newBuilder(), whose checks and copies of defaults showed
        // in the completions profile: every field but compensation (null unless set) is set here.
        Long timeout = run.getTimeoutMs();
        Trigger trigger = new Trigger();
        trigger.setRunId(run.getRunId());
        trigger.setTreeId(fanOut.getTreeId());
        trigger.setParentRunId(fanOut.getParentRunId());
        trigger.setFanOutId(fanOut.getFanOutId());
        trigger.setSubscriptionId(run.getSubscriptionId());
        trigger.setRepo(run.getRepo());
        trigger.setWorkflow(run.getWorkflow());
        trigger.setInputs(run.getInputs());
        trigger.setItemIndex(run.getItemIndex());
        trigger.setItem(run.getItem());
        trigger.setAttempt(run.getAttempt());
        trigger.setDeadline(timeout == null ? null : Instant.ofEpochMilli(now + timeout));
        trigger.setDepth(fanOut.getChildDepth());
        trigger.setPath(fanOut.getChildPath());
        trigger.setEvent(event(fanOut, run.getPayloadOmitted()));
        trigger.setHeartbeatTimeoutMs(run.getHeartbeatTimeoutMs());
        trigger.setEventPayloadOmitted(run.getPayloadOmitted());
        trigger.setEventOrigin(fanOut.getOriginTopic() == null ? null : new EventOrigin(fanOut.getOriginTopic(),
                fanOut.getOriginPartition(), fanOut.getOriginOffset()));
        return trigger;
    }

    /**
     * The event as the run's trigger carries it, built once per fan-out and omission. A fan-out id names one
     * event, but the same event id sent again after its fan-out was refused or cleaned up opens a new fan-out
     * of that id, perhaps with another payload: the key also holds where and when this one opened.
     */
    private ArtifactEvent event(FanOutNode fanOut, List<String> omitted) {
        String key = fanOut.getFanOutId() + "|" + fanOut.getOriginTopic() + "|" + fanOut.getOriginPartition() + "|"
                + fanOut.getOriginOffset() + "|" + fanOut.getStartedAt() + "|" + omitted;
        ArtifactEvent known = events.get(key);
        if (known != null) {
            return known;
        }
        ArtifactEvent event = state.event(fanOut);
        if (!omitted.isEmpty()) {
            event = ArtifactEvent.newBuilder(event).setPayload(without(event.getPayload(), omitted)).build();
        }
        if (event.getPayload().length() <= CACHED_PAYLOAD_MAX) {
            events.put(key, event);
        }
        return event;
    }

    /** The JSON text without the members at the pointers; {@code {}} for the empty pointer (all of it). */
    static String without(String payload, List<String> pointers) {
        if (pointers.contains("")) {
            return "{}";
        }
        try {
            JsonNode root = JSON.readTree(payload);
            for (String pointer : pointers) {
                int last = pointer.lastIndexOf('/');
                JsonNode parent = root.at(pointer.substring(0, last));
                if (parent instanceof ObjectNode object) {
                    object.remove(pointer.substring(last + 1).replace("~1", "/").replace("~0", "~"));
                }
            }
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            // The matcher refuses events whose payload is not JSON: none reaches a trigger.
            throw new IllegalStateException("the payload of a planned event is not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
