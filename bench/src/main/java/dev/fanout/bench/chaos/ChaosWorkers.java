package dev.fanout.bench.chaos;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import dev.fanout.bench.pipeline.Clients;
import dev.fanout.config.FanoutTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * Workers as real clients behave: each trigger read (read_committed) is answered with STARTED at once and its
 * outcome a little later (10 to 100 ms of "work"), as {@link ChaosWorkload} decides: a first attempt that fails
 * (retryably), or item 0 publishing its nested event before it reports SUCCEEDED with the event listed in
 * {@code emitted}. A trigger read twice is answered twice, as a worker that cannot tell would; the pipeline
 * must take the second answer as stale.
 */
final class ChaosWorkers implements AutoCloseable {

    private final KafkaConsumer<String, Trigger> triggers;
    private final KafkaProducer<String, RunStatus> statuses;
    private final KafkaProducer<String, ArtifactEvent> events;
    private final String statusTopic;
    private final String eventTopic;
    private final ScheduledExecutorService work = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "chaos-worker");
        t.setDaemon(true);
        return t;
    });
    private final Thread reader;
    private final AtomicLong triggersRead = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    ChaosWorkers(String bootstrapServers, FanoutTopics topics) {
        statusTopic = topics.runStatus().name();
        eventTopic = topics.artifactEvents().name();
        triggers = new KafkaConsumer<>(Clients.consumer(bootstrapServers, "chaos-workers"),
                new StringDeserializer(), topics.triggers().valueSerde().deserializer());
        statuses = new KafkaProducer<>(Clients.producer(bootstrapServers, "chaos-worker-statuses"),
                new StringSerializer(), topics.runStatus().valueSerde().serializer());
        events = new KafkaProducer<>(Clients.producer(bootstrapServers, "chaos-worker-events"),
                new StringSerializer(), topics.artifactEvents().valueSerde().serializer());
        List<TopicPartition> partitions = triggers.partitionsFor(topics.triggers().name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        triggers.assign(partitions);
        triggers.seekToBeginning(partitions);
        reader = new Thread(this::read, "chaos-workers-reader");
        reader.setDaemon(true);
        reader.start();
    }

    long triggersRead() {
        return triggersRead.get();
    }

    void check() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("the chaos workers failed: " + t.getMessage(), t);
        }
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<String, Trigger> r : triggers.poll(Duration.ofMillis(50))) {
                    triggersRead.incrementAndGet();
                    Trigger trigger = r.value();
                    statuses.send(new ProducerRecord<>(statusTopic, trigger.getRunId(),
                            status(trigger, RunState.STARTED).build()));
                    long workMillis = 10 + Math.floorMod(trigger.getRunId().hashCode(), 91);
                    work.schedule(() -> finish(trigger), workMillis, TimeUnit.MILLISECONDS);
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    private void finish(Trigger trigger) {
        try {
            RunStatus.Builder outcome = status(trigger, RunState.SUCCEEDED);
            Integer item = trigger.getItemIndex();
            if (trigger.getSubscriptionId().equals(ChaosWorkload.PER_ITEM) && item != null && trigger.getAttempt() == 1
                    && ChaosWorkload.failsFirst(trigger.getTreeId(), item)) {
                outcome.setStatus(RunState.FAILED).setRetryable(true)
                        .setError("chaos: the first attempt of item " + item + " fails");
            } else if (ChaosWorkload.emitsNested(trigger)) {
                ArtifactEvent nested = ChaosWorkload.nestedEvent(trigger, Instant.now());
                events.send(new ProducerRecord<>(eventTopic, nested.getArtifact(), nested));
                outcome.setEmitted(List.of(nested.getEventId()));
            }
            statuses.send(new ProducerRecord<>(statusTopic, trigger.getRunId(), outcome.build()));
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    private static RunStatus.Builder status(Trigger trigger, RunState state) {
        return RunStatus.newBuilder()
                .setRunId(trigger.getRunId())
                .setTreeId(trigger.getTreeId())
                .setAttempt(trigger.getAttempt())
                .setStatus(state)
                .setRetryable(true)
                .setReportedAt(Instant.now());
    }

    @Override
    public void close() {
        running = false;
        triggers.wakeup();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        work.shutdown();
        try {
            work.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        triggers.close(Duration.ofSeconds(5));
        events.close(Duration.ofSeconds(10));
        statuses.close(Duration.ofSeconds(10));
    }
}
