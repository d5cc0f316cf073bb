package dev.fanout.registry.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The registry's store in a compacted Kafka topic, like Confluent's KafkaStore. Writes are produced
 * (acks=all, idempotent) and count as done only once the reader thread has applied them, so a client
 * that got an answer reads its own write in the very next request. On open the store replays the topic
 * and writes a NOOP record, waiting for it to come back: then it has caught up with everything before.
 */
final class KafkaSchemaStore implements SchemaStore {

    private final Settings settings;
    private final KafkaStoreReader reader;
    private final Producer<byte[], byte[]> producer;

    /** Where the topic lives and how long to wait for it. */
    record Settings(String bootstrapServers, String topic, short replicationFactor,
            Map<String, Object> clientProperties, Duration startupTimeout, Duration operationTimeout) {
        Settings {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topic, "topic");
            clientProperties = Map.copyOf(clientProperties);
            Objects.requireNonNull(startupTimeout, "startupTimeout");
            Objects.requireNonNull(operationTimeout, "operationTimeout");
        }
    }

    private KafkaSchemaStore(Settings settings) {
        this.settings = settings;
        this.reader = new KafkaStoreReader(consumerConfig(settings), settings.topic());
        this.producer = new KafkaProducer<>(producerConfig(settings));
    }

    /**
     * Prepares the topic, replays it and returns once caught up.
     *
     * @throws IllegalStateException when the topic cannot be prepared or read within the startup timeout
     */
    static KafkaSchemaStore open(Settings settings) {
        try (Admin admin = Admin.create(adminConfig(settings))) {
            SchemasTopic.ensure(admin, settings.topic(), settings.replicationFactor(), settings.startupTimeout());
        } catch (KafkaException e) {
            throw new IllegalStateException("cannot connect to Kafka at " + settings.bootstrapServers() + ": "
                    + e.getMessage() + " (check bootstrap servers and client properties)", e);
        }
        KafkaSchemaStore store = new KafkaSchemaStore(settings);
        store.reader.start();
        try {
            store.append(List.of(new StoreRecord.NoopRecord()), settings.startupTimeout());
        } catch (RegistryError e) {
            store.close();
            throw new IllegalStateException("cannot replay the schemas topic '" + settings.topic() + "' on "
                    + settings.bootstrapServers() + " within " + settings.startupTimeout() + ": " + e.getMessage(), e);
        }
        return store;
    }

    @Override
    public RegistryState state() {
        return reader.state();
    }

    @Override
    public void write(List<StoreRecord> records) {
        append(records, settings.operationTimeout());
    }

    private void append(List<StoreRecord> records, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
            for (StoreRecord record : records) {
                sent.add(producer.send(new ProducerRecord<>(settings.topic(), 0,
                        StoreRecordCodec.key(record), StoreRecordCodec.value(record))));
            }
            long lastOffset = -1;
            for (Future<RecordMetadata> future : sent) {
                lastOffset = future.get(remainingNanos(deadline), TimeUnit.NANOSECONDS).offset();
            }
            if (!reader.awaitApplied(lastOffset, Duration.ofNanos(remainingNanos(deadline)))) {
                throw failure("the record at offset " + lastOffset + " was written but not read back within "
                        + timeout, null);
            }
        } catch (ExecutionException e) {
            throw failure(e.getCause().toString(), e.getCause());
        } catch (TimeoutException e) {
            throw failure("no acknowledgement within " + timeout, e);
        } catch (KafkaException e) {
            throw failure(e.toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted", e);
        }
    }

    private RegistryError failure(String reason, Throwable cause) {
        return RegistryError.store("Error while writing to the Kafka store: the schemas topic '" + settings.topic()
                + "' on " + settings.bootstrapServers() + " did not take the write: " + reason
                + " (is the Kafka cluster reachable?)", cause);
    }

    private static long remainingNanos(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    @Override
    public void close() {
        reader.close();
        producer.close(settings.operationTimeout());
    }

    private static Map<String, Object> adminConfig(Settings s) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(s.startupTimeout()));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(30_000, millis(s.startupTimeout())));
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "fanout-registry-admin-" + s.topic());
        return withConnection(config, s);
    }

    private static Map<String, Object> producerConfig(Settings s) {
        Map<String, Object> config = new HashMap<>();
        // The producer gives up when the registry does, so a write reported as failed stays failed.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis(s.operationTimeout()));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(s.operationTimeout()));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis(s.operationTimeout()));
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "fanout-registry-producer-" + s.topic());
        withConnection(config, s);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    private static Map<String, Object> consumerConfig(Settings s) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "fanout-registry-reader-" + s.topic());
        withConnection(config, s);
        // The reader assigns itself the partition and never commits: it always replays from the start.
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

    /** Extra client properties (security, for one) may override the defaults above, not the essentials. */
    private static Map<String, Object> withConnection(Map<String, Object> config, Settings s) {
        config.putAll(s.clientProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        return config;
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
