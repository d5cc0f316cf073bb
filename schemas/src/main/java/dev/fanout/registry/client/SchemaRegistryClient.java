package dev.fanout.registry.client;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The parts of the Confluent Schema Registry REST API that Fanout uses, with Avro schemas.
 *
 * <p>Every method may throw {@link RestClientException} (or a subclass naming the error code) when the
 * registry answers with an error, and {@link SchemaRegistryUnavailableException} when no registry
 * answers. Deletes are soft: the registry keeps the schemas and their ids.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers the schema under the subject ({@code POST /subjects/{subject}/versions}) and returns its id. */
    default int register(String subject, Schema schema) {
        return register(subject, schema, false);
    }

    /**
     * Registers the schema under the subject and returns its id; registering a schema the subject already
     * has returns the existing id.
     *
     * @param normalize whether the registry normalizes the schema first, so that equivalent texts share an id
     */
    int register(String subject, Schema schema, boolean normalize);

    /** Finds the version of the subject that holds this schema ({@code POST /subjects/{subject}}). */
    default RegisteredSchema lookup(String subject, Schema schema) {
        return lookup(subject, schema, false);
    }

    /** Finds the version of the subject that holds this schema, after normalizing it when asked. */
    RegisteredSchema lookup(String subject, Schema schema, boolean normalize);

    /** The schema with this id ({@code GET /schemas/ids/{id}}). */
    Schema getSchemaById(int id);

    /** Every subject that is not deleted ({@code GET /subjects}). */
    List<String> getAllSubjects();

    /** The versions of the subject ({@code GET /subjects/{subject}/versions}). */
    List<Integer> getAllVersions(String subject);

    /** One version of the subject ({@code GET /subjects/{subject}/versions/{version}}). */
    RegisteredSchema getVersion(String subject, int version);

    /** The latest version of the subject ({@code GET /subjects/{subject}/versions/latest}). */
    RegisteredSchema getLatestVersion(String subject);

    /** Soft-deletes the subject ({@code DELETE /subjects/{subject}}) and returns the versions it had. */
    List<Integer> deleteSubject(String subject);

    /** Soft-deletes one version ({@code DELETE /subjects/{subject}/versions/{version}}) and returns it. */
    int deleteVersion(String subject, int version);

    /**
     * Whether the schema is compatible with one version of the subject under the subject's compatibility
     * level ({@code POST /compatibility/subjects/{subject}/versions/{version}?verbose=true}).
     */
    CompatibilityResult testCompatibility(String subject, int version, Schema schema);

    /** Whether the schema is compatible with the latest version of the subject. */
    CompatibilityResult testCompatibilityWithLatest(String subject, Schema schema);

    /** The global compatibility level ({@code GET /config}). */
    CompatibilityLevel getCompatibility();

    /** Sets the global compatibility level ({@code PUT /config}) and returns the level now in force. */
    CompatibilityLevel setCompatibility(CompatibilityLevel level);

    /**
     * The subject's compatibility level ({@code GET /config/{subject}}).
     *
     * @param defaultToGlobal when true, a subject without its own level answers with the global level;
     *                        when false, such a subject answers empty
     */
    Optional<CompatibilityLevel> getCompatibility(String subject, boolean defaultToGlobal);

    /** Sets the subject's compatibility level ({@code PUT /config/{subject}}) and returns it. */
    CompatibilityLevel setCompatibility(String subject, CompatibilityLevel level);

    /** Releases what the client holds; the default holds nothing. */
    @Override
    default void close() {
    }
}
