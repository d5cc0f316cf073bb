package dev.fanout.cli;

import dev.fanout.avro.Subscription;
import dev.fanout.cli.subscriptions.SubscriptionsReader;
import dev.fanout.cli.subscriptions.CompactedTopicWriter;
import dev.fanout.cli.subscriptions.SubscriptionsWriter;
import dev.fanout.cli.subscriptions.TopicSnapshot;
import dev.fanout.config.Topic;
import dev.fanout.registry.client.SchemaRegistryException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The subscriptions topic of the installation the connection options point at: one short-lived client
 * per read or write. The clients get plain byte serdes and the Avro serde is applied by hand, because
 * closing a client closes its serdes, and the topic's serializer and deserializer share one registry client.
 */
public final class SubscriptionsTopic {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final ClientSettings settings;
    private final Topic<String, Subscription> topic;

    private SubscriptionsTopic(ClientSettings settings, Topic<String, Subscription> topic) {
        this.settings = settings;
        this.topic = topic;
    }

    public static SubscriptionsTopic of(ClientSettings settings) {
        return new SubscriptionsTopic(settings, Topics.of(settings).subscriptions());
    }

    public String name() {
        return topic.name();
    }

    /** Every subscription on the topic, read to its current end. */
    public TopicSnapshot read() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Kafka.consumerConfig(settings),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return new SubscriptionsReader(consumer, topic.valueSerde().deserializer(), READ_TIMEOUT).read(topic.name());
        } catch (IllegalStateException e) {
            throw new CliException("cannot read " + topic.name() + " on " + settings.bootstrapServers() + ": "
                    + e.getMessage(), e);
        } catch (KafkaException | SchemaRegistryException e) {
            throw new CliException("cannot read " + topic.name() + " on " + settings.bootstrapServers()
                    + " with the registry at " + settings.schemaRegistryUrl() + ": " + FanoutCli.describe(e)
                    + "\n  check both addresses (for the local stack run ./fanout dev)", e);
        }
    }

    /** Publishes puts and tombstones; fails naming every record that did not arrive. */
    public void publish(List<Subscription> puts, List<String> deletes) {
        if (puts.isEmpty() && deletes.isEmpty()) {
            return;
        }
        List<CompactedTopicWriter.Failure> failures;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Kafka.producerConfig(settings),
                new StringSerializer(), new ByteArraySerializer())) {
            failures = new SubscriptionsWriter(producer, topic.valueSerde().serializer(), topic.name())
                    .publish(puts, deletes);
        }
        if (!failures.isEmpty()) {
            throw new CliException(failures.size() + " of " + (puts.size() + deletes.size()) + " records were not "
                    + "published to " + topic.name() + ":\n  " + failures.stream().map(Object::toString)
                    .collect(Collectors.joining("\n  "))
                    + "\nthe others were; fix the cause and run the command again (publishing is idempotent)");
        }
    }
}
