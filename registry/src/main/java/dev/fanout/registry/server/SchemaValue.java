package dev.fanout.registry.server;

import java.util.Objects;

/**
 * One version of a subject as the schemas topic stores it (Confluent's {@code SchemaValue}):
 * {@code {"subject":"s","version":1,"id":1,"schemaType":"AVRO","schema":"...","deleted":false}}.
 * A soft-deleted version keeps its record with {@code deleted} true, so its id still resolves.
 */
record SchemaValue(String subject, int version, int id, String schemaType, String schema, boolean deleted) {

    SchemaValue {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schemaType, "schemaType");
        Objects.requireNonNull(schema, "schema");
    }

    static SchemaValue avro(String subject, int version, int id, String schema) {
        return new SchemaValue(subject, version, id, AvroSchemas.AVRO, schema, false);
    }

    SchemaValue softDeleted() {
        return new SchemaValue(subject, version, id, schemaType, schema, true);
    }
}
