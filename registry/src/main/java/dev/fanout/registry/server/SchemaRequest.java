package dev.fanout.registry.server;

/**
 * The schema part of a register, lookup or compatibility request body:
 * {@code {"schema": "...", "schemaType": "AVRO", "references": [...]}}.
 *
 * @param schema the schema text, or null when the body has none
 * @param schemaType the declared type, or null for Confluent's default (AVRO)
 * @param referenceCount how many schema references the body lists
 */
record SchemaRequest(String schema, String schemaType, int referenceCount) {

    static SchemaRequest avro(String schema) {
        return new SchemaRequest(schema, null, 0);
    }
}
