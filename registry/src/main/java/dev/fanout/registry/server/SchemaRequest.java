package dev.fanout.registry.server;

import java.util.List;

/**
 * The schema part of a register, lookup or compatibility request body:
 * {@code {"schema": "...", "schemaType": "AVRO", "references": [...]}}.
 *
 * @param schema the schema text, or null when the body has none
 * @param schemaType the declared type, or null for Confluent's default (AVRO)
 * @param references the registered versions whose types the schema uses by name, in the order given
 */
record SchemaRequest(String schema, String schemaType, List<SchemaReference> references) {

    SchemaRequest {
        references = references == null ? List.of() : List.copyOf(references);
    }

    static SchemaRequest avro(String schema) {
        return new SchemaRequest(schema, null, List.of());
    }
}
