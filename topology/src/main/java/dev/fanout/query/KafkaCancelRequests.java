package dev.fanout.query;

import dev.fanout.avro.TreeCancel;
import dev.fanout.config.Topic;
import dev.fanout.security.SecurityFailures;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Cancel requests produced to {@code tree-cancel} with a producer of its own, configured from the
 * instance's Kafka Streams properties as Kafka Streams configures its own producers (the same
 * bootstrap servers, security settings and {@code producer.}-prefixed overrides), so it works on the
 * cluster the instance runs on, secured or not. Short timeouts: an HTTP client is waiting.
 */
final class KafkaCancelRequests implements CancelRequests, AutoCloseable {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(20);

    private final Topic<String, TreeCancel> topic;
    private final KafkaProducer<String, TreeCancel> producer;

    private KafkaCancelRequests(Topic<String, TreeCancel> topic, KafkaProducer<String, TreeCancel> producer) {
        this.topic = topic;
        this.producer = producer;
    }

    /**
     * @param streamsProperties the instance's Kafka Streams properties
     * @param clientId the producer's {@code client.id}
     */
    static KafkaCancelRequests create(Properties streamsProperties, Topic<String, TreeCancel> topic, String clientId) {
        Objects.requireNonNull(streamsProperties, "streamsProperties");
        Objects.requireNonNull(topic, "topic");
        Map<String, Object> config = new StreamsConfig(streamsProperties).getProducerConfigs(clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis() - 1_000);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return new KafkaCancelRequests(topic, new KafkaProducer<>(config, topic.keySerde().serializer(),
                topic.valueSerde().serializer()));
    }

    @Override
    public void send(TreeCancel cancel) {
        Objects.requireNonNull(cancel, "cancel");
        try {
            producer.send(new ProducerRecord<>(topic.name(), cancel.getTreeId(), cancel))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw ApiError.unavailable("the cancel request of tree '" + cancel.getTreeId() + "' could not be written "
                    + "to " + topic.name() + ": " + SecurityFailures.explain(e).orElse(String.valueOf(e.getCause()))
                    + "; retry in a moment, and see the instance's log if it persists");
        } catch (TimeoutException e) {
            throw ApiError.unavailable("the broker did not take the cancel request of tree '" + cancel.getTreeId()
                    + "' on " + topic.name() + " within " + SEND_TIMEOUT.toSeconds() + " s; retry in a moment");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("interrupted while writing the cancel request of tree '" + cancel.getTreeId()
                    + "'; retry");
        } catch (RuntimeException e) {
            // The producer refuses at once what it cannot send (metadata not found in max.block.ms, serializer...).
            throw ApiError.unavailable("the cancel request of tree '" + cancel.getTreeId() + "' could not be written "
                    + "to " + topic.name() + ": " + SecurityFailures.explain(e).orElse(String.valueOf(e))
                    + "; retry in a moment, and see the instance's log if it persists");
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
