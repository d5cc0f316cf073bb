package dev.fanout.config;

import dev.fanout.contract.ContractSchemas;
import dev.fanout.registry.client.RegisteredSchema;
import dev.fanout.registry.client.RestClientException;
import dev.fanout.registry.client.SchemaNotFoundException;
import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.registry.client.SubjectNotFoundException;
import dev.fanout.serde.TopicNameStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * Registers the contract schemas ({@link ContractSchemas}) under the subjects of the topics,
 * {@code <topic>-value}, so that clients configured with {@code auto.register.schemas=false} and
 * {@code use.latest.version=true} find a schema to write with. Idempotent: a subject that holds the schema
 * already is left as it is, and a schema is registered only where it is missing.
 */
public final class ContractSchemaInstaller {

    /** What happened to one subject. */
    public record Outcome(String subject, Status status, int id, int version) {
    }

    public enum Status { REGISTERED, EXISTS }

    private final SchemaRegistryClient client;

    public ContractSchemaInstaller(SchemaRegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Registers the value schema of every Avro topic of the contract.
     *
     * @throws IllegalStateException when the registry refuses a schema (a subject holds an incompatible one)
     */
    public List<Outcome> install(FanoutTopics topics) {
        Objects.requireNonNull(topics, "topics");
        List<Outcome> outcomes = new ArrayList<>();
        for (Topic<?, ?> topic : topics.all()) {
            String name = topic.valueType().getSimpleName();
            if (ContractSchemas.NAMES.contains(name)) {
                outcomes.add(install(TopicNameStrategy.subjectName(topic.name(), false), name));
            }
        }
        return outcomes;
    }

    private Outcome install(String subject, String name) {
        Schema schema = ContractSchemas.schema(name);
        try {
            RegisteredSchema found = client.lookup(subject, schema);
            return new Outcome(subject, Status.EXISTS, found.id(), found.version());
        } catch (SubjectNotFoundException | SchemaNotFoundException missing) {
            // registered below
        }
        try {
            client.register(subject, schema);
            RegisteredSchema registered = client.lookup(subject, schema);
            return new Outcome(subject, Status.REGISTERED, registered.id(), registered.version());
        } catch (RestClientException e) {
            throw new IllegalStateException("subject " + subject + ": the Schema Registry refuses the contract schema "
                    + schema.getFullName() + ": " + e.getMessage() + " (the subject holds a schema Fanout did not "
                    + "write; see its versions with GET /subjects/" + subject + "/versions, and delete them or "
                    + "use another fanout.topic.prefix)", e);
        }
    }
}
