package dev.fanout.bench.pipeline;

import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import dev.fanout.contract.TreePartitions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Workers that answer at once: one thread reads every trigger written after it started (read_committed, all
 * partitions) and, when answering, reports it straight away, batched by the producer. They send what the
 * worker SDK sends for a run that succeeds (STARTED, then SUCCEEDED, of the trigger's attempt, keyed by run
 * id on the tree's partition; the SDK's {@code RunExecution} and {@code StartedReports}), without its per-run round trip to the
 * broker, so that the bench measures the topology, not a worker's framework ({@link WorkersScenario}
 * measures the SDK).
 *
 * <p>For the latency scenario they remember, per tree, when they sent the latest status: once the tree is
 * done that is the send time of its last child's status.
 */
final class SyntheticWorkers implements CompletionLoad.Workers {

    private final KafkaConsumer<String, Trigger> triggers;
    private final KafkaProducer<String, RunStatus> statuses;
    private final String statusTopic;
    private final Answer answer;
    private final Thread thread;
    private final AtomicLong triggersRead = new AtomicLong();
    private final AtomicLong lastTriggerNanos = new AtomicLong();
    private final Map<String, Long> lastStatusNanos = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private final int statusPartitions;

    /** What the workers send for each trigger they read. */
    enum Answer {
        /** Nothing: only count the triggers (the fan-out scenario). */
        NONE,
        /** SUCCEEDED alone, as the bench once did: a lighter load than real workers', kept to compare with. */
        SUCCEEDED_ONLY,
        /** STARTED then SUCCEEDED, as the worker SDK reports a run that succeeds. */
        STARTED_THEN_SUCCEEDED
    }

    SyntheticWorkers(Pipeline pipeline, Answer answer) {
        this.answer = java.util.Objects.requireNonNull(answer, "answer");
        var topics = pipeline.topics();
        this.statusTopic = topics.runStatus().name();
        this.triggers = new KafkaConsumer<>(Clients.consumer(pipeline.bootstrapServers(), "bench-workers"),
                new StringDeserializer(), topics.triggers().valueSerde().deserializer());
        this.statuses = new KafkaProducer<>(Clients.producer(pipeline.bootstrapServers(), "bench-workers"),
                new StringSerializer(), topics.runStatus().valueSerde().serializer());
        this.statusPartitions = statuses.partitionsFor(statusTopic).size();
        List<TopicPartition> partitions = triggers.partitionsFor(topics.triggers().name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        triggers.assign(partitions);
        // From the end as it is now (read_committed: the last committed trigger), resolved here rather than at
        // the first poll: workers started after others in the same topology answer only their own triggers.
        triggers.seekToEnd(partitions);
        partitions.forEach(triggers::position);
        thread = new Thread(this::work, "bench-synthetic-workers");
        thread.setDaemon(true);
        thread.start();
    }

    long triggersRead() {
        return triggersRead.get();
    }

    /** {@link System#nanoTime()} when the latest trigger was read. */
    long lastTriggerNanos() {
        return lastTriggerNanos.get();
    }

    /** {@link System#nanoTime()} when the latest status of a run of {@code treeId} was sent, or null. */
    Long lastStatusNanos(String treeId) {
        return lastStatusNanos.get(treeId);
    }

    void forget(String treeId) {
        lastStatusNanos.remove(treeId);
    }

    /** Rethrows what stopped the workers, if anything did. */
    @Override
    public void check() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("the synthetic workers failed: " + t.getMessage(), t);
        }
    }

    private void work() {
        try {
            while (running) {
                var records = triggers.poll(Duration.ofMillis(50));
                for (ConsumerRecord<String, Trigger> r : records) {
                    Trigger t = r.value();
                    if (answer == Answer.STARTED_THEN_SUCCEEDED) {
                        report(started(t));
                    }
                    if (answer != Answer.NONE) {
                        report(succeeded(t));
                        lastStatusNanos.put(t.getTreeId(), System.nanoTime());
                    }
                }
                if (!records.isEmpty()) {
                    lastTriggerNanos.set(System.nanoTime());
                    triggersRead.addAndGet(records.count());
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    /** The SDK's first report of an attempt (no progress yet; retryable keeps its default). */
    static RunStatus started(Trigger t) {
        return RunStatus.newBuilder()
                .setRunId(t.getRunId())
                .setTreeId(t.getTreeId())
                .setAttempt(t.getAttempt())
                .setStatus(RunState.STARTED)
                .setReportedAt(Instant.now())
                .build();
    }

    /** The SDK's final report of an attempt whose handler returned {@code RunResult.succeeded()}. */
    static RunStatus succeeded(Trigger t) {
        return RunStatus.newBuilder()
                .setRunId(t.getRunId())
                .setTreeId(t.getTreeId())
                .setAttempt(t.getAttempt())
                .setStatus(RunState.SUCCEEDED)
                .setOutput(null)
                .setError(null)
                .setRetryable(true)
                .setReportedAt(Instant.now())
                .setEmitted(null)
                .build();
    }

    /**
     * Keyed by run id and written to the tree's partition, as the SDK does: a run's reports share a partition,
     * so they stay in order, and the coordinator reads them without the status repartition.
     */
    private void report(RunStatus status) {
        statuses.send(new ProducerRecord<>(statusTopic, TreePartitions.of(status.getTreeId(), statusPartitions),
                status.getRunId(), status));
    }

    @Override
    public void close() {
        running = false;
        triggers.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        triggers.close(Duration.ofSeconds(5));
        statuses.close(Duration.ofSeconds(10));
    }
}
