package dev.fanout.registry.server;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Decides whether a new schema may join a subject, with Avro's own {@link SchemaCompatibility}: backward
 * means the new schema reads data written with an old one, forward the other way round. Non-transitive
 * levels compare with the latest live version only, transitive ones with every live version.
 *
 * <p>The reasons are worded like Confluent's, one entry per problem followed by the old version it
 * concerns, so that people who know Confluent's messages read these without surprise.
 */
final class CompatibilityChecker {

    private CompatibilityChecker() {
    }

    /**
     * The reasons the candidate is incompatible; empty when it is compatible.
     *
     * @param previous the subject's live versions, oldest first
     */
    static List<String> incompatibilities(CompatibilityLevel level, Schema candidate, List<SchemaValue> previous) {
        return incompatibilities(level, candidate, previous, (subject, version) -> java.util.Optional.empty());
    }

    /**
     * The reasons the candidate is incompatible; empty when it is compatible.
     *
     * @param previous the subject's live versions, oldest first
     * @param versions where the versions that the previous ones reference are found
     */
    static List<String> incompatibilities(CompatibilityLevel level, Schema candidate, List<SchemaValue> previous,
            AvroSchemas.Versions versions) {
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return List.of();
        }
        // Newest first, so the first reasons concern the version people changed last.
        int oldest = level.transitive() ? 0 : previous.size() - 1;
        List<String> reasons = new ArrayList<>();
        for (int i = previous.size() - 1; i >= oldest; i--) {
            SchemaValue old = previous.get(i);
            Schema oldSchema = AvroSchemas.parseStored(old, versions).schema();
            List<String> problems = new ArrayList<>();
            if (level.backward()) {
                problems.addAll(describe(candidate, oldSchema, "new", "old"));
            }
            if (level.forward()) {
                problems.addAll(describe(oldSchema, candidate, "old", "new"));
            }
            if (!problems.isEmpty()) {
                reasons.addAll(problems);
                reasons.add("{oldSchemaVersion: " + old.version() + "}");
                reasons.add("{oldSchema: '" + old.schema() + "'}");
            }
        }
        if (!reasons.isEmpty()) {
            reasons.add("{compatibility: '" + level.name() + "'}");
        }
        return List.copyOf(reasons);
    }

    private static List<String> describe(Schema reader, Schema writer, String readerName, String writerName) {
        List<Incompatibility> found = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult().getIncompatibilities();
        List<String> described = new ArrayList<>(found.size());
        for (Incompatibility incompatibility : found) {
            described.add("{errorType:'" + incompatibility.getType() + "', description:'"
                    + description(incompatibility, readerName, writerName) + "', additionalInfo:'"
                    + incompatibility.getMessage() + "'}");
        }
        return described;
    }

    private static String description(Incompatibility incompatibility, String reader, String writer) {
        String path = incompatibility.getLocation();
        String info = incompatibility.getMessage();
        return switch (incompatibility.getType()) {
            case READER_FIELD_MISSING_DEFAULT_VALUE -> "The field '" + info + "' at path '" + path + "' in the "
                    + reader + " schema has no default value and is missing in the " + writer + " schema";
            case TYPE_MISMATCH -> "The type (path '" + path + "') of a field in the " + reader
                    + " schema does not match with the " + writer + " schema";
            case NAME_MISMATCH -> "The name of the schema at path '" + path + "' in the " + reader
                    + " schema does not match with the " + writer + " schema";
            case FIXED_SIZE_MISMATCH -> "The size of the fixed type at path '" + path + "' in the " + reader
                    + " schema does not match with the " + writer + " schema";
            case MISSING_ENUM_SYMBOLS -> "The " + reader + " schema is missing enum symbols '" + info
                    + "' at path '" + path + "' in the " + writer + " schema";
            case MISSING_UNION_BRANCH -> "The " + reader + " schema is missing a type inside a union field at path '"
                    + path + "' in the " + writer + " schema";
        };
    }
}
