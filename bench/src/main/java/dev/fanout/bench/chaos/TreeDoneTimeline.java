package dev.fanout.bench.chaos;

import dev.fanout.avro.TreeDone;
import dev.fanout.bench.pipeline.Clients;
import dev.fanout.config.FanoutTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * When each {@code TreeDone} became visible to an observer (read_committed, all partitions), by the harness's
 * clock: the raw material of the pauses after each failure and of tree-done latency. The verdict on what was
 * written comes from {@link ChaosVerifier}, which reads the topics again once everything has stopped.
 */
final class TreeDoneTimeline implements AutoCloseable {

    /** A TreeDone seen at {@code millis} (harness wall clock) on {@code partition}. */
    record Arrival(long millis, int partition, String treeId) {
    }

    private final KafkaConsumer<String, TreeDone> consumer;
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final Map<String, Long> firstArrival = new ConcurrentHashMap<>();
    private final int partitions;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    TreeDoneTimeline(String bootstrapServers, FanoutTopics topics) {
        var topic = topics.treeDone();
        consumer = new KafkaConsumer<>(Clients.consumer(bootstrapServers, "chaos-tree-done"),
                new StringDeserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> assigned = new ArrayList<>();
        consumer.partitionsFor(topic.name()).forEach(p -> assigned.add(new TopicPartition(p.topic(), p.partition())));
        partitions = assigned.size();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        thread = new Thread(this::read, "chaos-tree-done-timeline");
        thread.setDaemon(true);
        thread.start();
    }

    /** Trees with at least one TreeDone seen so far. */
    int treesDone() {
        return firstArrival.size();
    }

    Long doneAt(String treeId) {
        return firstArrival.get(treeId);
    }

    List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    void check() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("reading tree-done failed: " + t.getMessage(), t);
        }
    }

    /**
     * The longest time in {@code [from, to)} during which some partition of tree-done saw no TreeDone, counting
     * from {@code from} to the partition's first arrival: how long the trees of the worst-hit partition stood
     * still. Under a steady load a partition sees a TreeDone every fraction of a second.
     */
    long longestPauseMillis(long from, long to) {
        return longestPauseMillis(arrivals(), partitions, from, to);
    }

    static long longestPauseMillis(List<Arrival> arrivals, int partitions, long from, long to) {
        long longest = 0;
        for (int p = 0; p < partitions; p++) {
            long last = from;
            for (Arrival a : arrivals) {
                if (a.partition() != p || a.millis() < from || a.millis() >= to) {
                    continue;
                }
                longest = Math.max(longest, a.millis() - last);
                last = a.millis();
            }
            if (last == from) {
                longest = Math.max(longest, to - from); // no TreeDone at all on this partition in the window
            }
        }
        return longest;
    }

    private void read() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(50));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<String, TreeDone> r : records) {
                    arrivals.add(new Arrival(now, r.partition(), r.key()));
                    firstArrival.putIfAbsent(r.key(), now);
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
    }
}
