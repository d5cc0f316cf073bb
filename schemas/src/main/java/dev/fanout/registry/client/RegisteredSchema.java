package dev.fanout.registry.client;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject, as the registry answers {@code GET /subjects/{subject}/versions/{version}}
 * and {@code POST /subjects/{subject}}.
 *
 * @param subject the subject, such as {@code fanout.triggers-value}
 * @param version the version within the subject, from 1
 * @param id      the registry-wide schema id that goes into the wire format
 * @param schema  the schema text as the registry stores it
 */
public record RegisteredSchema(String subject, int version, int id, String schema) {

    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }

    /** Parses the schema text; a fresh parser each time, because parsers remember the names they saw. */
    public Schema avroSchema() {
        return new Schema.Parser().parse(schema);
    }
}
