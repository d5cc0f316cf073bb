package dev.fanout.registry.client;

import java.util.Objects;

/**
 * A schema's use of a type registered under another subject, as the registry lists it in
 * {@code references}: the type's full name, and the subject and version that define it.
 */
public record SchemaReference(String name, String subject, int version) {

    public SchemaReference {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subject, "subject");
    }
}
