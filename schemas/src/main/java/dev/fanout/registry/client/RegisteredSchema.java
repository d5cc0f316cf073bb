package dev.fanout.registry.client;

import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject, as the registry answers {@code GET /subjects/{subject}/versions/{version}}
 * and {@code POST /subjects/{subject}}.
 *
 * @param subject           the subject, such as {@code fanout.triggers-value}
 * @param version           the version within the subject, from 1
 * @param id                the registry-wide schema id that goes into the wire format
 * @param schema            the schema text as the registry stores it
 * @param references        the versions of other subjects whose types the schema uses by name
 * @param referencedSchemas the texts of those versions and of the ones they reference, each after the
 *                          ones it needs, as the client fetched them, so that {@link #avroSchema()} parses
 */
public record RegisteredSchema(String subject, int version, int id, String schema, List<SchemaReference> references,
                               List<String> referencedSchemas) {

    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        references = List.copyOf(Objects.requireNonNull(references, "references"));
        referencedSchemas = List.copyOf(Objects.requireNonNull(referencedSchemas, "referencedSchemas"));
    }

    /** A version that references nothing. */
    public RegisteredSchema(String subject, int version, int id, String schema) {
        this(subject, version, id, schema, List.of(), List.of());
    }

    /**
     * Parses the schema text, with the referenced types known; a fresh parser each time, because parsers
     * remember the names they saw.
     */
    public Schema avroSchema() {
        return parse(schema, referencedSchemas);
    }

    /** Parses a schema after the schemas whose types it uses, in the order given. */
    static Schema parse(String schema, List<String> referencedSchemas) {
        Schema.Parser parser = new Schema.Parser();
        referencedSchemas.forEach(parser::parse);
        return parser.parse(schema);
    }
}
