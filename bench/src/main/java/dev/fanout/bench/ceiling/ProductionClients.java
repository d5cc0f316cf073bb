package dev.fanout.bench.ceiling;

import dev.fanout.app.StreamsSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Client settings for the ceiling: the guarantees Fanout runs with (Kafka Streams' exactly_once_v2 sets
 * acks=all, idempotence, read_committed), so that the ceiling is what the pipeline could reach, not what an
 * unsafe producer could.
 */
final class ProductionClients {

    /**
     * Fanout commits an exactly-once transaction every 50 ms by default (commit.interval.ms, set by
     * {@link StreamsSettings}); the transactional producer commits on the same beat.
     */
    static final long TRANSACTION_INTERVAL_MS = StreamsSettings.EXACTLY_ONCE_COMMIT_INTERVAL_MS;
    /** Streams' own default for the consumers it creates; the client's default is 500. */
    private static final int MAX_POLL_RECORDS = 1_000;
    /**
     * Batching: 64 KiB batches and 5 ms linger. With 200-byte records and a few partitions, the 16 KiB
     * default batch fills in a fraction of a millisecond and caps the rate on request overhead; larger
     * batches and a short linger let the broker append in bulk without adding more than 5 ms of latency.
     */
    static final int BATCH_BYTES = 64 * 1024;
    static final int LINGER_MS = 5;

    private ProductionClients() {
    }

    static Map<String, Object> producer(String bootstrapServers, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        return p;
    }

    static Map<String, Object> transactionalProducer(String bootstrapServers, String transactionalId) {
        Map<String, Object> p = producer(bootstrapServers, transactionalId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // Streams' exactly_once_v2 default: a stuck transaction is aborted after 10 s, not the client's 60 s.
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
        return p;
    }

    static Map<String, Object> readCommittedConsumer(String bootstrapServers, String clientId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return c;
    }
}
