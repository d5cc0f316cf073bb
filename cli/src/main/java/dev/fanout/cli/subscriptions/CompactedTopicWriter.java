package dev.fanout.cli.subscriptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Publishes records to a compacted topic keyed by strings (subscriptions, repo-limits), and tombstones
 * for deleted keys. Every send is checked
 * after one flush, and each failure is returned with its id: a record that did not arrive is never
 * reported as published. Give it an idempotent producer so retries cannot duplicate or reorder.
 */
public final class CompactedTopicWriter<V> {

    /** One record that was not published, and why. */
    public record Failure(String id, String reason) {
        public Failure {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return id + ": " + reason;
        }
    }

    private final Producer<String, byte[]> producer;
    private final Serializer<V> values;
    private final String topic;

    public CompactedTopicWriter(Producer<String, byte[]> producer, Serializer<V> values, String topic) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.values = Objects.requireNonNull(values, "values");
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    /** Sends every put (in the map's order) and tombstone, waits for all of them, and returns those that failed (empty: all arrived). */
    public List<Failure> publish(Map<String, V> puts, List<String> deletes) {
        Map<String, Future<RecordMetadata>> sent = new LinkedHashMap<>();
        List<Failure> failures = new ArrayList<>();
        puts.forEach((key, value) -> send(key, value, sent, failures));
        for (String id : deletes) {
            send(id, null, sent, failures);
        }
        producer.flush();
        for (Map.Entry<String, Future<RecordMetadata>> entry : sent.entrySet()) {
            try {
                entry.getValue().get();
            } catch (ExecutionException e) {
                failures.add(new Failure(entry.getKey(), describe(e.getCause())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new Failure(entry.getKey(), "interrupted before the broker acknowledged it"));
            }
        }
        return failures;
    }

    private void send(String id, V value, Map<String, Future<RecordMetadata>> sent, List<Failure> failures) {
        try {
            RecordHeaders headers = new RecordHeaders();
            byte[] bytes = value == null ? null : values.serialize(topic, headers, value);
            sent.put(id, producer.send(new ProducerRecord<>(topic, null, id, bytes, headers)));
        } catch (RuntimeException e) {
            // Serialization (registry unreachable, schema refused) and buffer errors are thrown by send itself.
            failures.add(new Failure(id, describe(e)));
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }
}
