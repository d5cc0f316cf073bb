package dev.fanout.subscription.takofile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fanout.avro.RepoLimits;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Reads the top-level {@code limits} mapping of a tako.yml ({@code limits: {max_in_flight: 3}}) into a
 * {@link RepoLimits}. Read by hand rather than bound, because every wrong value deserves its own sentence
 * naming the value and the fix: {@code 0}, {@code -2}, {@code "3"} and {@code 2.5} are all refused.
 */
final class LimitsEntry {

    static final String KEY = "limits";
    static final String MAX_IN_FLIGHT = "max_in_flight";
    static final List<Object> KEYS = List.of(MAX_IN_FLIGHT);

    private static final String POINTER = "/" + KEY;
    private static final String EXAMPLE = "limits: {max_in_flight: 3}";

    private final String repo;
    private final String file;
    private final LineIndex index;

    LimitsEntry(String repo, String file, LineIndex index) {
        this.repo = repo;
        this.file = file;
        this.index = index;
    }

    /** The limits, or empty when {@code node} is absent or wrong; every problem is added to {@code errors}. */
    Optional<RepoLimits> read(JsonNode node, List<SourceError> errors) {
        if (node.isMissingNode()) {
            return Optional.empty();
        }
        List<SourceError> found = new ArrayList<>();
        if (!node.isObject()) {
            String kind = isEmpty(node) ? "an empty value" : index.kindOf(POINTER);
            found.add(error(POINTER, "limits must be a mapping such as '" + EXAMPLE + "', not "
                    + (kind == null ? "this" : kind) + "; declare max_in_flight or remove the key"));
            errors.addAll(found);
            return Optional.empty();
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                found.add(error(POINTER + "/" + key, BindingErrors.unknownKey(key, KEY, KEYS)));
            }
        }
        JsonNode max = node.path(MAX_IN_FLIGHT);
        if (max.isMissingNode()) {
            found.add(error(POINTER, "limits: missing required key 'max_in_flight' (" + EXAMPLE + ")"));
        } else {
            checkMaxInFlight(max).ifPresent(reason -> found.add(error(POINTER + "/" + MAX_IN_FLIGHT, reason)));
        }
        errors.addAll(found);
        return found.isEmpty() ? Optional.of(new RepoLimits(repo, max.intValue())) : Optional.empty();
    }

    /** Why {@code value} is no valid {@code max_in_flight}, or empty when it is one. */
    private static Optional<String> checkMaxInFlight(JsonNode value) {
        String fix = "use a whole number of at least 1 (the most runs of this repository triggered and not yet "
                + "ended at once, across all trees), or remove limits for no cap";
        if (value.isIntegralNumber()) {
            if (!value.canConvertToInt()) {
                return Optional.of("limits.max_in_flight " + value.asText() + " is too large; use at most "
                        + Integer.MAX_VALUE + ", or remove limits for no cap");
            }
            if (value.intValue() < 1) {
                return Optional.of("limits.max_in_flight " + value.intValue() + " is not a valid limit: "
                        + (value.intValue() == 0 ? "zero would never trigger a run" : "it is negative") + "; " + fix);
            }
            return Optional.empty();
        }
        String shown = isEmpty(value) ? "an empty value"
                : value.isTextual() ? "'" + value.asText() + "' (a string)" : value.toString();
        return Optional.of("limits.max_in_flight " + shown + " is not a whole number; " + fix);
    }

    /** {@code key:} with nothing after it, which the YAML reader gives as null or as an empty string. */
    private static boolean isEmpty(JsonNode node) {
        return node.isNull() || (node.isTextual() && node.asText().isEmpty());
    }

    private SourceError error(String pointer, String reason) {
        return new SourceError(file, index.lineOf(pointer), reason);
    }
}
