package dev.fanout.subscription.cel;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cel.common.values.NullValue;
import dev.fanout.avro.ArtifactEvent;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code event} variable as expressions see it: a map with {@code artifact}, {@code event_type},
 * {@code schema_version}, {@code payload} (the parsed JSON), {@code source_repo} and {@code headers}
 * (an empty map when the event has none).
 *
 * <p>Built once per event and shared by every subscription evaluated against it: with many subscribers
 * the payload must not be parsed per subscription.
 */
public final class EventVariables {

    private final Map<String, Object> event;

    private EventVariables(Map<String, Object> event) {
        this.event = event;
    }

    /** Fails with a reason when the payload is not JSON; nothing else about an event can fail here. */
    public static Evaluation<EventVariables> from(ArtifactEvent event) {
        Objects.requireNonNull(event, "event");
        if (event.getPayload() == null) {
            return Evaluation.failed("payload is missing; send JSON text, e.g. {}");
        }
        Object payload;
        try {
            payload = CelJson.parse(event.getPayload());
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : " at " + location.getLineNr() + ":" + location.getColumnNr();
            return Evaluation.failed("payload is not valid JSON: " + e.getOriginalMessage() + where);
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("artifact", orNull(event.getArtifact()));
        variables.put("event_type", orNull(event.getEventType()));
        variables.put("schema_version", orNull(event.getSchemaVersion()));
        variables.put("payload", payload);
        variables.put("source_repo", orNull(event.getSourceRepo()));
        variables.put("headers", event.getHeaders() == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(event.getHeaders())));
        return Evaluation.ok(new EventVariables(Map.copyOf(variables)));
    }

    /** Avro forbids nulls in these fields, but a hand-built record may have them; CEL wants its own null. */
    private static Object orNull(String value) {
        return value == null ? NullValue.NULL_VALUE : value;
    }

    /** The value bound to {@code event}. */
    public Map<String, Object> event() {
        return event;
    }

    /** Variables for filters, {@code foreach} and inputs without {@code foreach}. */
    public Map<String, Object> activation() {
        return Map.of(SubscriptionExpressions.EVENT, event);
    }

    /** Variables for inputs under {@code foreach}; {@code item} is a CEL value (see {@link CelJson#parse}). */
    public Map<String, Object> activation(Object item, long index) {
        Objects.requireNonNull(item, "item");
        Map<String, Object> variables = new HashMap<>(4);
        variables.put(SubscriptionExpressions.EVENT, event);
        variables.put(SubscriptionExpressions.ITEM, item);
        variables.put(SubscriptionExpressions.INDEX, index);
        return variables;
    }
}
