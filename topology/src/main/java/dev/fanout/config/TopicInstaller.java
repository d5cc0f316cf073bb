package dev.fanout.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of the contract. Idempotent: a topic that exists is left as it is, and reported
 * with a warning when its cleanup policy differs from the contract's (we never alter a user's topic).
 */
public final class TopicInstaller {

    /** What happened to one topic. */
    public record Outcome(String topic, Status status, String detail) {
    }

    public enum Status { CREATED, EXISTS, MISMATCH }

    private final Admin admin;

    public TopicInstaller(Admin admin) {
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    /**
     * Creates every missing topic.
     *
     * @param partitions partitions for new topics
     * @param replicationFactor replication for new topics; -1 takes the broker's default
     */
    public List<Outcome> install(Collection<TopicSpec> specs, int partitions, short replicationFactor)
            throws InterruptedException, ExecutionException {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions " + partitions + " must be at least 1");
        }
        if (replicationFactor < 1 && replicationFactor != -1) {
            throw new IllegalArgumentException("replication factor " + replicationFactor
                    + " must be at least 1, or -1 for the broker's default");
        }
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> toCreate = new ArrayList<>();
        for (TopicSpec spec : specs) {
            if (!existing.contains(spec.name())) {
                toCreate.add(new NewTopic(spec.name(), Optional.of(partitions), Optional.of(replicationFactor))
                        .configs(spec.createConfigs()));
            }
        }
        Map<String, KafkaFuture<Void>> created = admin.createTopics(toCreate).values();
        List<Outcome> outcomes = new ArrayList<>();
        for (TopicSpec spec : specs) {
            KafkaFuture<Void> future = created.get(spec.name());
            if (future == null) {
                outcomes.add(checkExisting(spec));
                continue;
            }
            try {
                future.get();
                outcomes.add(new Outcome(spec.name(), Status.CREATED,
                        partitions + " partitions, " + (spec.compacted() ? "compacted" : "delete policy")));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                outcomes.add(checkExisting(spec)); // created concurrently by someone else
            }
        }
        return outcomes;
    }

    private Outcome checkExisting(TopicSpec spec) throws InterruptedException, ExecutionException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
        String policy = config.get("cleanup.policy") == null ? "delete" : config.get("cleanup.policy").value();
        boolean compacted = policy.contains("compact");
        if (compacted != spec.compacted()) {
            return new Outcome(spec.name(), Status.MISMATCH, "cleanup.policy is '" + policy + "' but should be '"
                    + (spec.compacted() ? "compact" : "delete") + "'; fix it with kafka-configs --alter");
        }
        return new Outcome(spec.name(), Status.EXISTS, "cleanup.policy=" + policy);
    }
}
