package dev.fanout.registry.server;

import java.util.Objects;

/**
 * A schema's use of a type registered elsewhere, as Confluent's API writes it:
 * {@code {"name": "dev.fanout.avro.ParentRef", "subject": "parent-ref", "version": 1}}. For Avro the name
 * is the full name of the type that the referenced version defines.
 */
record SchemaReference(String name, String subject, int version) {

    SchemaReference {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subject, "subject");
    }

    boolean refersTo(String otherSubject, int otherVersion) {
        return subject.equals(otherSubject) && version == otherVersion;
    }
}
