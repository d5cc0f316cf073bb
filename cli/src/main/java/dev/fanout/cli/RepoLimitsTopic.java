package dev.fanout.cli;

import dev.fanout.avro.RepoLimits;
import dev.fanout.cli.subscriptions.CompactedTopicReader;
import dev.fanout.cli.subscriptions.CompactedTopicWriter;
import dev.fanout.config.Topic;
import dev.fanout.registry.client.SchemaRegistryException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The repo-limits topic of the installation the connection options point at, read and written the way
 * {@link SubscriptionsTopic} handles the subscriptions: one short-lived client per read or write, the
 * Avro serde applied by hand.
 */
final class RepoLimitsTopic {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final ClientSettings settings;
    private final Topic<String, RepoLimits> topic;

    private RepoLimitsTopic(ClientSettings settings, Topic<String, RepoLimits> topic) {
        this.settings = settings;
        this.topic = topic;
    }

    static RepoLimitsTopic of(ClientSettings settings) {
        return new RepoLimitsTopic(settings, Topics.of(settings).repoLimits());
    }

    String name() {
        return topic.name();
    }

    /** Every repository's limits on the topic, read to its current end. */
    CompactedTopicReader.Latest<RepoLimits> read() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Kafka.consumerConfig(settings),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return new CompactedTopicReader<>(consumer, topic.valueSerde().deserializer(), READ_TIMEOUT).read(topic.name());
        } catch (IllegalStateException e) {
            throw new CliException("cannot read " + topic.name() + " on " + settings.bootstrapServers() + ": "
                    + e.getMessage(), e);
        } catch (KafkaException | SchemaRegistryException e) {
            throw new CliException("cannot read " + topic.name() + " on " + settings.bootstrapServers()
                    + " with the registry at " + settings.schemaRegistryUrl() + ": " + FanoutCli.describe(e)
                    + "\n  check both addresses (for the local stack run ./fanout dev)", e);
        }
    }

    /** Publishes limits and tombstones; fails naming every repository whose record did not arrive. */
    void publish(List<RepoLimits> set, List<String> removed) {
        if (set.isEmpty() && removed.isEmpty()) {
            return;
        }
        Map<String, RepoLimits> byRepo = new LinkedHashMap<>();
        set.forEach(limits -> byRepo.put(limits.getRepo(), limits));
        List<CompactedTopicWriter.Failure> failures;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Kafka.producerConfig(settings),
                new StringSerializer(), new ByteArraySerializer())) {
            failures = new CompactedTopicWriter<>(producer, topic.valueSerde().serializer(), topic.name())
                    .publish(byRepo, removed);
        }
        if (!failures.isEmpty()) {
            throw new CliException(failures.size() + " of " + (set.size() + removed.size()) + " records were not "
                    + "published to " + topic.name() + ":\n  " + failures.stream().map(Object::toString)
                    .collect(Collectors.joining("\n  "))
                    + "\nthe others were; fix the cause and run the command again (publishing is idempotent)");
        }
    }
}
