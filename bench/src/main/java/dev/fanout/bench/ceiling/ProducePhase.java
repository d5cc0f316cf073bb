package dev.fanout.bench.ceiling;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;

/**
 * Writes the synthetic records to a topic as fast as the producer takes them, and times from the first send
 * to the last acknowledgement. Connecting, initialising transactions and priming every partition happen
 * before the clock starts: they are paid once per process, not per record.
 */
final class ProducePhase {

    private ProducePhase() {
    }

    /** One idempotent producer, acks=all, no transactions. */
    static Throughput plain(Map<String, Object> config, String topic, SyntheticRecords records) {
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            prime(producer, topic, records);
            FirstFailure failure = new FirstFailure();
            long start = System.nanoTime();
            for (int i = 0; i < records.count(); i++) {
                producer.send(new ProducerRecord<>(topic, records.key(i), records.value(i)), failure);
                failure.throwIfAny(topic);
            }
            producer.flush();
            long nanos = System.nanoTime() - start;
            failure.throwIfAny(topic);
            return new Throughput(records.count(), records.totalBytes(), nanos);
        }
    }

    /**
     * One transactional producer committing every {@link ProductionClients#TRANSACTION_INTERVAL_MS}, as a
     * Kafka Streams task under exactly_once_v2 does; the commit waits for every record of the transaction.
     */
    static Throughput transactional(Map<String, Object> config, String topic, SyntheticRecords records) {
        long interval = TimeUnit.MILLISECONDS.toNanos(ProductionClients.TRANSACTION_INTERVAL_MS);
        try (Producer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            producer.beginTransaction();
            prime(producer, topic, records);
            producer.commitTransaction();
            FirstFailure failure = new FirstFailure();
            long start = System.nanoTime();
            long transactionStart = start;
            producer.beginTransaction();
            for (int i = 0; i < records.count(); i++) {
                producer.send(new ProducerRecord<>(topic, records.key(i), records.value(i)), failure);
                failure.throwIfAny(topic);
                long now = System.nanoTime();
                if (now - transactionStart >= interval) {
                    producer.commitTransaction();
                    producer.beginTransaction();
                    transactionStart = now;
                }
            }
            producer.commitTransaction();
            long nanos = System.nanoTime() - start;
            failure.throwIfAny(topic);
            return new Throughput(records.count(), records.totalBytes(), nanos);
        }
    }

    /**
     * Writes one record to each partition and waits for it. A partition created a moment ago may refuse
     * the first batch (its leader is not loaded yet) while later pipelined batches get in; the idempotent
     * producer's retry of that first batch is then out of sequence for good. One acknowledged record per
     * partition first makes the timed batches start from an established sequence.
     */
    private static void prime(Producer<byte[], byte[]> producer, String topic, SyntheticRecords records) {
        for (PartitionInfo p : producer.partitionsFor(topic)) {
            try {
                producer.send(new ProducerRecord<>(topic, p.partition(), records.key(0), records.value(0))).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot write to " + topic + "-" + p.partition() + ": "
                        + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while priming " + topic, e);
            }
        }
    }

    /** Keeps the first send error, so that the run stops on it instead of reporting a rate of failures. */
    private static final class FirstFailure implements Callback {
        private final AtomicReference<Exception> first = new AtomicReference<>();

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                first.compareAndSet(null, exception);
            }
        }

        void throwIfAny(String topic) {
            Exception e = first.get();
            if (e != null) {
                throw new IllegalStateException("a record could not be written to " + topic + ": " + e.getMessage(), e);
            }
        }
    }
}
