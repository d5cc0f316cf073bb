package dev.fanout.registry.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the schemas topic exists and is fit to be the registry's log: one partition, so there is
 * one total order of writes, and compacted, so the latest record per key lives forever.
 */
final class SchemasTopic {

    private static final Logger log = LoggerFactory.getLogger(SchemasTopic.class);

    private SchemasTopic() {
    }

    static void ensure(Admin admin, String topic, short replicationFactor, Duration timeout) {
        try {
            TopicDescription description = describe(admin, topic, timeout);
            if (description == null) {
                create(admin, topic, replicationFactor, timeout);
                return;
            }
            checkFit(admin, description, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the schemas topic '" + topic + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot prepare the schemas topic '" + topic + "' within " + timeout
                    + ": " + cause + " (is the Kafka cluster reachable, are the store's security settings "
                    + "(kafkastore.security.protocol, kafkastore.sasl.*, kafkastore.ssl.*) right, and may its "
                    + "principal describe and create the topic? docs/security.md lists the registry's ACLs)", cause);
        }
    }

    private static TopicDescription describe(Admin admin, String topic, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }

    private static void create(Admin admin, String topic, short replicationFactor, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        NewTopic newTopic = new NewTopic(topic, 1, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("created the schemas topic '{}' (compacted, 1 partition, replication factor {})",
                    topic, replicationFactor);
        } catch (ExecutionException e) {
            // Another registry created it first: fine, it is the same topic.
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static void checkFit(Admin admin, TopicDescription description, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        String topic = description.name();
        if (description.partitions().size() != 1) {
            throw new IllegalStateException("the schemas topic '" + topic + "' has "
                    + description.partitions().size() + " partitions; it must have exactly 1 so that every "
                    + "registry reads the writes in one order (use another topic name, or recreate it)");
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource);
        String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
        if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT) || policy.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
            throw new IllegalStateException("the schemas topic '" + topic + "' has cleanup.policy=" + policy
                    + "; it must be 'compact', or schemas would expire (kafka-configs --alter --entity-type "
                    + "topics --entity-name " + topic + " --add-config cleanup.policy=compact)");
        }
    }
}
