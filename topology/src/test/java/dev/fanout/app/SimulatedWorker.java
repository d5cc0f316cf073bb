package dev.fanout.app;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import dev.fanout.config.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A worker as a real one is built: a consumer of the committed triggers, a pool of threads that work on
 * them for a random short while, and a producer of run statuses (and of the events a run emits, each
 * acknowledged by the broker before its own status is sent). What it does with each trigger is the test's {@link Work}.
 *
 * <p>It records every trigger it received with the number of terminal statuses it had sent by then
 * (counted just before each is sent), so a test can tell how many runs could have been in flight. It also
 * reads the RunCancellations, so that a run can go on until its tree is cancelled ({@link Work#untilCancelled}).
 */
final class SimulatedWorker implements AutoCloseable {

    /**
     * What the worker does with one trigger: emit events, then report an outcome (or never, to hang),
     * listing the emitted events' ids in the report's {@code emitted} if told to.
     */
    record Work(List<ArtifactEvent> emits, RunState outcome, boolean retryable, String output,
            CompletableFuture<?> gate, boolean listsEmitted, boolean waitsForCancel) {

        static Work succeed() {
            return new Work(List.of(), RunState.SUCCEEDED, true, "{}", null, false, false);
        }

        static Work fail(boolean retryable) {
            return new Work(List.of(), RunState.FAILED, retryable, null, null, false, false);
        }

        /** Never reports an outcome. */
        static Work hang() {
            return new Work(List.of(), null, true, null, null, false, false);
        }

        /**
         * Runs until the worker reads a RunCancellation for this run and attempt, then reports FAILED, retryable
         * (a cancelled run must not be retried whatever its report says).
         */
        static Work untilCancelled() {
            return new Work(List.of(), RunState.FAILED, true, null, null, false, true);
        }

        Work emitting(ArtifactEvent... events) {
            return new Work(List.of(events), outcome, retryable, output, gate, listsEmitted, waitsForCancel);
        }

        Work withOutput(String json) {
            return new Work(emits, outcome, retryable, json, gate, listsEmitted, waitsForCancel);
        }

        /** Reports its outcome only once {@code released} completes (and, if told to, once cancelled). */
        Work after(CompletableFuture<?> released) {
            return new Work(emits, outcome, retryable, output, released, listsEmitted, waitsForCancel);
        }

        /** Its report lists the ids of the events it emitted in {@code emitted}, as workers should. */
        Work listingEmitted() {
            return new Work(emits, outcome, retryable, output, gate, true, waitsForCancel);
        }
    }

    /**
     * A trigger as received, with the terminal statuses sent before it arrived, and its place in the worker's
     * sequence of receipts and reports ({@link Sent#seq}).
     */
    record Received(Trigger trigger, int terminalSentBefore, long receivedAtMs, long recordTimestamp, long seq) {
    }

    /**
     * A report as sent, with its record's timestamp, and its place in the worker's sequence of receipts and
     * reports, taken just before it is sent: a trigger the coordinator wrote on reading it has a higher one.
     */
    record Sent(RunStatus status, long timestamp, long seq) {
    }

    private final Pipeline pipeline;
    private final Predicate<Trigger> mine;
    private final Function<Trigger, Work> behaviour;
    private final int maxDelayMs;
    private final Random random;
    private final ScheduledExecutorService pool;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread poller;
    private final AtomicInteger terminalSent = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, CompletableFuture<RunCancellation>> cancellations = new ConcurrentHashMap<>();
    private final List<RunCancellation> cancellationsRead = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    /**
     * @param mine which triggers are this worker's (a test's tree, on a shared pipeline)
     * @param threads how many triggers it works on at once
     * @param maxDelayMs the longest it works on one; each takes a random time up to it
     */
    SimulatedWorker(Pipeline pipeline, Predicate<Trigger> mine, Function<Trigger, Work> behaviour, int threads,
            int maxDelayMs, long seed) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.mine = Objects.requireNonNull(mine, "mine");
        this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
        this.maxDelayMs = maxDelayMs;
        this.random = new Random(seed);
        this.pool = Executors.newScheduledThreadPool(threads);
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(pipeline.topics().triggers().name(), pipeline.topics().runCancellations().name())) {
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.poller = new Thread(this::poll, "simulated-worker-poller");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        Topic<String, Trigger> triggers = pipeline.topics().triggers();
        Topic<String, RunCancellation> runCancellations = pipeline.topics().runCancellations();
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.topic().equals(runCancellations.name())) {
                        RunCancellation cancellation = runCancellations.valueSerde().deserializer()
                                .deserialize(record.topic(), record.value());
                        cancellationsRead.add(cancellation);
                        cancellation(cancellation.getRunId(), cancellation.getAttempt()).complete(cancellation);
                        continue;
                    }
                    Trigger trigger = triggers.valueSerde().deserializer().deserialize(record.topic(), record.value());
                    if (mine.test(trigger)) {
                        received.add(new Received(trigger, terminalSent.get(), System.currentTimeMillis(),
                                record.timestamp(), sequence.incrementAndGet()));
                        Work work = behaviour.apply(trigger);
                        pool.schedule(() -> perform(trigger, work), delayMs(), TimeUnit.MILLISECONDS);
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() was called
        } catch (Throwable e) {
            errors.add(e);
        } finally {
            consumer.close();
        }
    }

    private synchronized long delayMs() {
        return maxDelayMs <= 0 ? 0 : random.nextInt(maxDelayMs + 1);
    }

    private void perform(Trigger trigger, Work work) {
        try {
            for (ArtifactEvent event : work.emits()) {
                pipeline.emit(event);
            }
            if (work.outcome() == null) {
                return;
            }
            CompletableFuture<?> gate = work.gate();
            if (work.waitsForCancel()) {
                CompletableFuture<RunCancellation> cancelled = cancellation(trigger.getRunId(), trigger.getAttempt());
                gate = gate == null ? cancelled : CompletableFuture.allOf(gate, cancelled);
            }
            if (gate == null) {
                report(trigger, work);
            } else {
                gate.thenRun(() -> pool.execute(() -> report(trigger, work)));
            }
        } catch (Throwable e) {
            errors.add(e);
        }
    }

    private void report(Trigger trigger, Work work) {
        try {
            RunStatus status = RunReports.status(trigger, work.outcome())
                    .setRetryable(work.retryable())
                    .setOutput(work.output())
                    .setError(work.outcome() == RunState.FAILED ? "failed attempt " + trigger.getAttempt() : null)
                    .setEmitted(work.listsEmitted() ? work.emits().stream().map(ArtifactEvent::getEventId).toList() : null)
                    .build();
            terminalSent.incrementAndGet(); // before it is sent: the coordinator may act on it at once
            long seq = sequence.incrementAndGet();
            sent.add(new Sent(status, pipeline.report(status), seq));
        } catch (Throwable e) {
            errors.add(e);
        }
    }

    /** The triggers received so far, in the order they arrived. */
    List<Received> received() {
        return List.copyOf(received);
    }

    List<Trigger> receivedTriggers() {
        return received.stream().map(Received::trigger).toList();
    }

    private CompletableFuture<RunCancellation> cancellation(String runId, int attempt) {
        return cancellations.computeIfAbsent(runId + "#" + attempt, key -> new CompletableFuture<>());
    }

    /** The RunCancellations read so far (of any tree), in the order they arrived. */
    List<RunCancellation> runCancellations() {
        return List.copyOf(cancellationsRead);
    }

    /** The statuses sent so far, in the order they were sent. */
    List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** What went wrong in the worker's threads (a test asserts it is empty). */
    List<Throwable> errors() {
        return new ArrayList<>(errors);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        poller.join(10_000);
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
