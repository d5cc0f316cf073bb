package dev.fanout.subscription.takofile;

import com.fasterxml.jackson.core.JsonToken;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each key and value of a YAML document starts, by JSON pointer ({@code /subscriptions/0/filter}),
 * and what kind of value sits there. Jackson's tree model forgets locations; this index keeps them, so
 * that problems found after binding (validation, type errors of one entry) still point at a line.
 */
final class LineIndex {

    private final Map<String, Integer> lines = new HashMap<>();
    private final Map<String, JsonToken> kinds = new HashMap<>();

    void record(String pointer, int line, JsonToken token) {
        lines.putIfAbsent(pointer, line);
        if (token != JsonToken.FIELD_NAME) {
            kinds.putIfAbsent(pointer, token);
        }
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    /** The line of {@code pointer}, or of its nearest recorded ancestor; 1 when nothing is known. */
    int lineOf(String pointer) {
        String current = pointer;
        while (true) {
            Integer line = lines.get(current);
            if (line != null) {
                return line;
            }
            if (current.isEmpty()) {
                return 1;
            }
            current = current.substring(0, Math.max(current.lastIndexOf('/'), 0));
        }
    }

    /** How the value at {@code pointer} was written, in words ("a string", "a list"); null when unknown. */
    String kindOf(String pointer) {
        JsonToken token = kinds.get(pointer);
        if (token == null) {
            return null;
        }
        return switch (token) {
            case START_OBJECT -> "a mapping";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "a whole number";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "an empty value";
            default -> null;
        };
    }
}
