package dev.fanout.subscription.takofile;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns Jackson binding failures into {@code file:line: reason} errors that speak tako.yml, not Java:
 * "subscriptions[0].events must be a list, not a string" rather than "Cannot construct instance of
 * java.util.ArrayList".
 */
final class BindingErrors {

    private BindingErrors() {
    }

    /**
     * @param pointer JSON pointer of the node that was bound ({@code /subscriptions/2}); Jackson's path
     *                is relative to it
     */
    static TakoFileException describe(JsonMappingException e, String pointer, LineIndex index) {
        StringBuilder path = new StringBuilder(display(pointer));
        StringBuilder fullPointer = new StringBuilder(pointer);
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
                fullPointer.append('/').append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
                fullPointer.append('/').append(reference.getIndex());
            }
        }
        int line = index.lineOf(fullPointer.toString());
        if (e instanceof UnrecognizedPropertyException unknown) {
            String parent = path.substring(0, Math.max(path.lastIndexOf("."), 0));
            return new TakoFileException(line, unknownKey(unknown.getPropertyName(), parent, unknown.getKnownPropertyIds()));
        }
        String found = index.kindOf(fullPointer.toString());
        if (e instanceof InvalidFormatException format && format.getTargetType() != null && format.getTargetType().isEnum()) {
            return new TakoFileException(line, path + " is '" + format.getValue() + "'; use one of "
                    + constants(format.getTargetType()));
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String expected = expected(mismatch.getTargetType());
            String fix = "a string".equals(expected) && found != null && !found.equals("a mapping") && !found.equals("a list")
                    ? "; quote the value" : "";
            return new TakoFileException(line, path + " must be " + expected
                    + (found == null ? "" : ", not " + found) + fix);
        }
        String message = e.getOriginalMessage();
        if (message != null && message.contains("out of range")) {
            return new TakoFileException(line, path + " is out of range: " + message);
        }
        return new TakoFileException(line, path + ": " + message);
    }

    static String unknownKey(String key, String parent, Collection<Object> known) {
        List<String> allowed = known.stream().map(String::valueOf).sorted().toList();
        String where = parent.isEmpty() ? "at the top level" : "in " + parent;
        String suggestion = allowed.stream()
                .filter(candidate -> distance(candidate, key) <= 2)
                .min(Comparator.comparingInt(candidate -> distance(candidate, key)))
                .map(candidate -> " (did you mean '" + candidate + "'?)")
                .orElse("");
        return "unknown key '" + key + "' " + where + suggestion + "; allowed keys: " + String.join(", ", allowed);
    }

    /** "/subscriptions/2/retry" as "subscriptions[2].retry". */
    static String display(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segment.chars().allMatch(Character::isDigit)) {
                out.append('[').append(segment).append(']');
            } else {
                out.append(out.length() == 0 ? "" : ".").append(segment.replace("~1", "/").replace("~0", "~"));
            }
        }
        return out.toString();
    }

    private static String expected(Class<?> type) {
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of " + constants(type);
        }
        return "a " + type.getSimpleName();
    }

    private static String constants(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** Levenshtein distance; keys are short, so the quadratic table is fine. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
