package dev.fanout.registry.server;

import java.util.List;
import java.util.Objects;

/**
 * One version of a subject as the schemas topic stores it (Confluent's {@code SchemaValue}):
 * {@code {"subject":"s","version":1,"id":1,"schemaType":"AVRO","references":[...],"schema":"...","deleted":false}}.
 * A soft-deleted version keeps its record with {@code deleted} true, so its id still resolves.
 */
record SchemaValue(String subject, int version, int id, String schemaType, String schema, boolean deleted,
                   List<SchemaReference> references) {

    SchemaValue {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schemaType, "schemaType");
        Objects.requireNonNull(schema, "schema");
        references = references == null ? List.of() : List.copyOf(references);
    }

    /** A version that references nothing. */
    SchemaValue(String subject, int version, int id, String schemaType, String schema, boolean deleted) {
        this(subject, version, id, schemaType, schema, deleted, List.of());
    }

    static SchemaValue avro(String subject, int version, int id, String schema) {
        return avro(subject, version, id, schema, List.of());
    }

    static SchemaValue avro(String subject, int version, int id, String schema, List<SchemaReference> references) {
        return new SchemaValue(subject, version, id, AvroSchemas.AVRO, schema, false, references);
    }

    SchemaValue softDeleted() {
        return new SchemaValue(subject, version, id, schemaType, schema, true, references);
    }

    /** Whether this version holds the same schema: the same text, using the same references. */
    boolean holds(String canonical, List<SchemaReference> otherReferences) {
        return schema.equals(canonical) && references.equals(otherReferences);
    }
}
