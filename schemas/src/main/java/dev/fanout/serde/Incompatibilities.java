package dev.fanout.serde;

import java.util.stream.Collectors;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;

/**
 * Avro's incompatibilities in one line each. Their own {@code toString} repeats both whole schemas per
 * problem, which buries the problem and bloats dead-letter headers.
 */
final class Incompatibilities {

    private Incompatibilities() {
    }

    /** Such as {@code READER_FIELD_MISSING_DEFAULT_VALUE at /fields/3: fan_out_id}. */
    static String describe(SchemaCompatibilityResult result) {
        return result.getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                .collect(Collectors.joining("; "));
    }
}
