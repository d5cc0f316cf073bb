package dev.fanout.cli.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.avro.Subscription;
import dev.fanout.registry.client.SchemaRegistryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

class SubscriptionsReaderTest {

    private static final String TOPIC = "fanout.subscriptions";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    /** Values are "repo/name" as text, or "garbage", which does not decode. */
    private static final Deserializer<Subscription> VALUES = (topic, bytes) -> {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.equals("registry-down")) {
            throw new SerializationException("cannot fetch schema id 1",
                    new SchemaRegistryUnavailableException("no registry answered at http://127.0.0.1:1", null));
        }
        if (text.equals("garbage")) {
            throw new IllegalArgumentException("unknown magic byte");
        }
        Subscription base = Subscriptions.subscription(text.substring(0, text.lastIndexOf('/')),
                text.substring(text.lastIndexOf('/') + 1));
        return Subscription.newBuilder(base).setWorkflow("v" + text.length()).build();
    };

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");

    private SubscriptionsReader reader() {
        return new SubscriptionsReader(consumer, VALUES, Duration.ofSeconds(5));
    }

    private void topicWith(long endOfP0, long endOfP1, List<ConsumerRecord<byte[], byte[]>> records) {
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, null, null),
                new PartitionInfo(TOPIC, 1, node, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, endOfP0, P1, endOfP1));
        consumer.schedulePollTask(() -> records.forEach(consumer::addRecord));
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, String key, String value) {
        return new ConsumerRecord<>(TOPIC, partition, offset, key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theLatestValueOfEachKeyWinsAndATombstoneDeletesIt() {
        // Given
        topicWith(3, 1, List.of(
                record(0, 0, "svc-a/build", "svc-a/build"),
                record(0, 1, "svc-b/test", "svc-b/test"),
                record(0, 2, "svc-b/test", null),
                record(1, 0, "svc-c/deploy", "svc-c/deploy")));

        // When
        TopicSnapshot snapshot = reader().read(TOPIC);

        // Then
        assertThat(snapshot.subscriptions()).containsOnlyKeys("svc-a/build", "svc-c/deploy");
        assertThat(snapshot.unreadable()).isEmpty();
    }

    @Test
    void aValueThatDoesNotDecodeIsReportedByKeyAndNotGuessed() {
        topicWith(1, 0, List.of(record(0, 0, "svc-a/build", "garbage")));

        TopicSnapshot snapshot = reader().read(TOPIC);

        assertThat(snapshot.subscriptions()).isEmpty();
        assertThat(snapshot.unreadable()).containsOnlyKeys("svc-a/build");
        assertThat(snapshot.unreadable().get("svc-a/build")).contains("fanout.subscriptions-0@0").contains("unknown magic byte");
        assertThat(snapshot.contains("svc-a/build")).isTrue();
    }

    @Test
    void anUnreachableRegistryFailsTheReadInsteadOfMakingEveryRecordUnreadable() {
        topicWith(1, 0, List.of(record(0, 0, "svc-a/build", "registry-down")));

        assertThatThrownBy(() -> reader().read(TOPIC)).hasRootCauseMessage("no registry answered at http://127.0.0.1:1");
    }

    @Test
    void recordsPastTheEndOffsetsSeenAtTheStartAreLeftOut() {
        // Given a record that arrived while reading, beyond the end offset of partition 0
        topicWith(1, 0, List.of(record(0, 0, "svc-a/build", "svc-a/build"), record(0, 1, "svc-a/late", "svc-a/late")));

        TopicSnapshot snapshot = reader().read(TOPIC);

        assertThat(snapshot.subscriptions()).containsOnlyKeys("svc-a/build");
    }

    @Test
    void anEmptyTopicIsAnEmptySnapshot() {
        topicWith(0, 0, List.of());

        assertThat(reader().read(TOPIC).subscriptions()).isEmpty();
    }

    @Test
    void aMissingTopicIsNamedWithTheCommandThatCreatesIt() {
        assertThatThrownBy(() -> reader().read(TOPIC))
                .hasMessageContaining("topic fanout.subscriptions does not exist")
                .hasMessageContaining("./fanout topics create");
    }
}
