package dev.fanout.worker;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.RunStatus;
import dev.fanout.contract.TreePartitions;
import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.serde.SpecificAvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The worker's one producer: run statuses keyed by run id, nested events keyed by artifact ref.
 * Idempotent with {@code acks=all}, so a status is written once per send and a run's reports stay in
 * the order they were sent (they share a key, hence a partition).
 */
final class WorkerProducer implements AutoCloseable {

    private final WorkerTopics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final SpecificAvroSerializer<RunStatus> statusSerializer;
    private final SpecificAvroSerializer<ArtifactEvent> eventSerializer;

    WorkerProducer(WorkerTopics topics, Map<String, Object> clientSettings, Map<String, Object> serdeSettings,
            SchemaRegistryClient registry) {
        this.topics = topics;
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        this.statusSerializer = new SpecificAvroSerializer<>(registry);
        this.statusSerializer.configure(serdeSettings, false);
        this.eventSerializer = new SpecificAvroSerializer<>(registry);
        this.eventSerializer.configure(serdeSettings, false);
    }

    /**
     * Sends a status without waiting (STARTED). Keyed by run id, as the contract says, and written to its tree's
     * partition ({@link TreePartitions}): there the tree coordinator reads it without a hop through a repartition
     * topic. Every report of a run goes to that one partition, so they stay in order.
     */
    Future<RecordMetadata> report(RunStatus status) {
        int partition = TreePartitions.of(status.getTreeId(), producer.partitionsFor(topics.runStatus()).size());
        return producer.send(new ProducerRecord<>(topics.runStatus(), partition, status.getRunId(),
                statusSerializer.serialize(topics.runStatus(), status)));
    }

    /** Sends a status and waits until the broker has it. */
    void reportAndWait(RunStatus status) throws InterruptedException {
        await(report(status), "run status of " + status.getRunId());
    }

    /** Sends a nested event and waits until the broker has it. */
    void publishAndWait(ArtifactEvent event) throws InterruptedException {
        await(producer.send(new ProducerRecord<>(topics.artifactEvents(), event.getArtifact(),
                eventSerializer.serialize(topics.artifactEvents(), event))), "event " + event.getEventId());
    }

    private static void await(Future<RecordMetadata> sent, String what) throws InterruptedException {
        try {
            sent.get();
        } catch (ExecutionException e) {
            throw new KafkaException("could not write the " + what + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        statusSerializer.close();
        eventSerializer.close();
    }
}
