package dev.fanout.subscription;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fanout.avro.Subscription;
import dev.fanout.subscription.cel.CelJson;
import dev.fanout.subscription.cel.CompiledExpression;
import dev.fanout.subscription.cel.Evaluation;
import dev.fanout.subscription.cel.EventVariables;
import dev.fanout.subscription.cel.PayloadReads;
import dev.fanout.subscription.version.VersionRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A valid subscription with its range parsed and its expressions compiled, ready to be evaluated
 * against many events. Build it with {@link SubscriptionCompiler} once per subscription version and
 * keep it (see {@link CompiledSubscriptionCache}); compiling per event would dominate matching.
 *
 * <p>Evaluation methods never throw for bad data: they return a failed {@link Evaluation} whose reason
 * names the subscription and the expression.
 */
public final class CompiledSubscription {

    private final Subscription subscription;
    private final VersionRange range;
    private final Set<String> eventTypes;
    private final CompiledExpression filter;
    private final CompiledExpression foreach;
    private final SortedMap<String, CompiledExpression> inputs;
    private final List<String> payloadReadByForeach;

    CompiledSubscription(Subscription subscription, VersionRange range, CompiledExpression filter,
                         CompiledExpression foreach, SortedMap<String, CompiledExpression> inputs) {
        this.subscription = subscription;
        this.range = range;
        this.eventTypes = Set.copyOf(subscription.getEvents());
        this.filter = filter;
        this.foreach = foreach;
        this.inputs = Collections.unmodifiableSortedMap(inputs);
        this.payloadReadByForeach = foreach == null ? List.of() : PayloadReads.of(foreach.source());
    }

    /** The record this was compiled from; a private copy, so treat it as read-only. */
    public Subscription subscription() {
        return subscription;
    }

    public String id() {
        return subscription.getId();
    }

    public String artifact() {
        return subscription.getArtifact();
    }

    public VersionRange range() {
        return range;
    }

    public boolean listensTo(String eventType) {
        return eventType != null && eventTypes.contains(eventType);
    }

    public boolean hasFilter() {
        return filter != null;
    }

    public boolean hasForeach() {
        return foreach != null;
    }

    /**
     * JSON Pointers of the payload members the {@code foreach} expression reads (see {@link PayloadReads}):
     * what its children's triggers leave out of the event; empty without {@code foreach}.
     */
    public List<String> payloadReadByForeach() {
        return payloadReadByForeach;
    }

    /** The filter's verdict; true when there is no filter. */
    public Evaluation<Boolean> matches(EventVariables event) {
        Objects.requireNonNull(event, "event");
        if (filter == null) {
            return Evaluation.ok(true);
        }
        Evaluation<Object> result = filter.evaluate(event.activation());
        if (!result.isOk()) {
            return failed("filter", filter, result.reason());
        }
        if (!(result.value() instanceof Boolean verdict)) {
            return failed("filter", filter, "yielded " + describe(result.value()) + ", not a bool");
        }
        return Evaluation.ok(verdict);
    }

    /**
     * The {@code foreach} elements as JSON texts, in order; one child per element.
     *
     * @throws IllegalStateException when the subscription has no {@code foreach} (a caller bug, not bad data)
     */
    public Evaluation<List<String>> items(EventVariables event) {
        Objects.requireNonNull(event, "event");
        if (foreach == null) {
            throw new IllegalStateException("subscription " + id() + " has no foreach");
        }
        Evaluation<Object> result = foreach.evaluate(event.activation());
        if (!result.isOk()) {
            return failed("foreach", foreach, result.reason());
        }
        if (!(result.value() instanceof List<?> elements)) {
            return failed("foreach", foreach, "yielded " + describe(result.value()) + ", not a list");
        }
        List<String> items = new ArrayList<>(elements.size());
        for (Object element : elements) {
            try {
                items.add(CelJson.toJson(element));
            } catch (IllegalArgumentException e) {
                return failed("foreach", foreach, "item " + items.size() + ": " + e.getMessage());
            }
        }
        return Evaluation.ok(List.copyOf(items));
    }

    /**
     * Inputs of a subscription without {@code foreach}: input name to JSON text, sorted by name.
     *
     * @throws IllegalStateException when the subscription has a {@code foreach}: use the item variant
     */
    public Evaluation<Map<String, String>> renderInputs(EventVariables event) {
        Objects.requireNonNull(event, "event");
        if (foreach != null) {
            throw new IllegalStateException("subscription " + id() + " has a foreach; render inputs per item");
        }
        return render(event.activation());
    }

    /**
     * Inputs of one {@code foreach} child. {@code itemJson} is the element as {@link #items} returned it,
     * so inputs see exactly the item the worker receives, even when rendered on another instance.
     */
    public Evaluation<Map<String, String>> renderInputs(EventVariables event, String itemJson, int index) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(itemJson, "itemJson");
        if (foreach == null) {
            throw new IllegalStateException("subscription " + id() + " has no foreach; render inputs without an item");
        }
        Object item;
        try {
            item = CelJson.parse(itemJson);
        } catch (JsonProcessingException e) {
            return Evaluation.failed("subscription " + id() + ": item " + index + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
        return render(event.activation(item, index));
    }

    private Evaluation<Map<String, String>> render(Map<String, Object> variables) {
        SortedMap<String, String> rendered = new TreeMap<>();
        for (Map.Entry<String, CompiledExpression> input : inputs.entrySet()) {
            String what = "input '" + input.getKey() + "'";
            Evaluation<Object> result = input.getValue().evaluate(variables);
            if (!result.isOk()) {
                return failed(what, input.getValue(), result.reason());
            }
            try {
                rendered.put(input.getKey(), CelJson.toJson(result.value()));
            } catch (IllegalArgumentException e) {
                return failed(what, input.getValue(), e.getMessage());
            }
        }
        return Evaluation.ok(Collections.unmodifiableSortedMap(rendered));
    }

    private <T> Evaluation<T> failed(String what, CompiledExpression expression, String reason) {
        return Evaluation.failed("subscription " + id() + ": " + what + " '" + expression.source() + "' failed: " + reason);
    }

    private static String describe(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Map<?, ?>) {
            return "a map";
        }
        if (value instanceof Number) {
            return "a number";
        }
        return "a " + value.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return "CompiledSubscription[" + id() + "]";
    }
}
