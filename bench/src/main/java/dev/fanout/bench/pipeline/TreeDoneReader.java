package dev.fanout.bench.pipeline;

import dev.fanout.avro.TreeDone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code TreeDone} as an observer would (read_committed, all partitions) and checks each against what
 * was sent ({@link ExpectedTrees}: a scenario {@linkplain #expect expects} every tree before sending its
 * event); {@code onDone} is told of each one with the {@link System#nanoTime()} at which it was read.
 */
final class TreeDoneReader implements AutoCloseable {

    private final KafkaConsumer<String, TreeDone> consumer;
    private final Thread thread;
    private final AtomicLong lastNanos = new AtomicLong();
    private final ExpectedTrees expected = new ExpectedTrees();
    private final AtomicReference<String> wrong = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final BiConsumer<TreeDone, Long> onDone;
    private volatile boolean running = true;

    TreeDoneReader(Pipeline pipeline, BiConsumer<TreeDone, Long> onDone) {
        this.onDone = onDone;
        var topic = pipeline.topics().treeDone();
        consumer = new KafkaConsumer<>(Clients.consumer(pipeline.bootstrapServers(), "bench-tree-done"),
                new StringDeserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic.name()).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::read, "bench-tree-done-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Registers a tree the scenario is about to send, with the children it must end with. */
    void expect(String treeId, long children) {
        expected.expect(treeId, children);
    }

    /**
     * Waits until every expected tree is done, each as designed; fails at once on a wrong one, and at the
     * timeout naming the trees still missing.
     */
    void awaitExpected(Duration timeout, Runnable check, String what) {
        Waits.until(() -> expected.outstanding() == 0, timeout, () -> {
            check.run();
            check();
        }, expected::missing, what);
    }

    long lastNanos() {
        return lastNanos.get();
    }

    /** Rethrows what stopped the reader, and fails if a tree did not end as the bench designed it. */
    void check() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("reading tree-done failed: " + t.getMessage(), t);
        }
        String bad = wrong.get();
        if (bad != null) {
            throw new IllegalStateException(bad);
        }
    }

    private void read() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(50));
                long now = System.nanoTime();
                for (ConsumerRecord<String, TreeDone> r : records) {
                    TreeDone tree = r.value();
                    onDone.accept(tree, now);
                    lastNanos.set(now);
                    // Last: a scenario waiting for its trees reads the figures above once the last one is accepted.
                    expected.accept(tree).ifPresent(error -> wrong.compareAndSet(null, error));
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure.set(t);
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
