package dev.fanout.cli.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SubscriptionsWriterTest {

    private static final String TOPIC = "fanout.subscriptions";

    /** Writes the id as the value; refuses ids of repository "unregistered", as a registry might. */
    private static final Serializer<Subscription> VALUES = (topic, subscription) -> {
        if (subscription.getRepo().equals("unregistered")) {
            throw new IllegalStateException("schema registry at http://127.0.0.1:1 is unreachable");
        }
        return subscription.getId().getBytes(StandardCharsets.UTF_8);
    };

    @Test
    void subscriptionsAreKeyedByIdAndDeletionsAreTombstones() {
        // Given
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

        // When
        List<CompactedTopicWriter.Failure> failures = new SubscriptionsWriter(producer, VALUES, TOPIC)
                .publish(List.of(Subscriptions.subscription("svc-a", "build")), List.of("svc-b/gone"));

        // Then
        assertThat(failures).isEmpty();
        assertThat(producer.history()).extracting(ProducerRecord::topic).containsOnly(TOPIC);
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("svc-a/build", "svc-b/gone");
        assertThat(producer.history().get(0).value()).asString(StandardCharsets.UTF_8).isEqualTo("svc-a/build");
        assertThat(producer.history().get(1).value()).isNull();
        assertThat(producer.flushed()).isTrue();
    }

    @Test
    void aRecordThatCannotBeSerializedIsReportedByIdAndTheOthersAreStillSent() {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

        List<CompactedTopicWriter.Failure> failures = new SubscriptionsWriter(producer, VALUES, TOPIC)
                .publish(List.of(Subscriptions.subscription("unregistered", "build"),
                        Subscriptions.subscription("svc-a", "build")), List.of());

        assertThat(failures).singleElement().hasToString(
                "unregistered/build: schema registry at http://127.0.0.1:1 is unreachable");
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("svc-a/build");
    }

    @Test
    void aSendTheBrokerDoesNotAcknowledgeIsReportedByIdAfterTheFlush() {
        // Given a producer whose first send fails when flushed
        MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized void flush() {
                errorNext(new TimeoutException("Expiring 1 record(s) for fanout.subscriptions-0"));
                super.flush();
            }
        };

        // When
        List<CompactedTopicWriter.Failure> failures = new SubscriptionsWriter(producer, VALUES, TOPIC)
                .publish(List.of(Subscriptions.subscription("svc-a", "build")), List.of("svc-b/gone"));

        // Then
        assertThat(failures).singleElement().hasToString("svc-a/build: Expiring 1 record(s) for fanout.subscriptions-0");
    }
}
