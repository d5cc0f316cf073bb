package dev.fanout.worker;

import dev.fanout.avro.Trigger;
import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.security.SecurityFailures;
import dev.fanout.serde.SpecificAvroDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop: reads triggers in the worker's consumer group, hands each to the bounded pool, and
 * commits a partition's offset only up to the first trigger whose run is not reported yet.
 *
 * <p>Backpressure: at most {@code concurrency} triggers are fetched per poll, and when the pool is busy the
 * loop pauses every assigned partition (it keeps polling, so it stays in the group) and resumes once a
 * run finishes; nothing queues beyond one poll's records. While every slot is taken the loop waits for a
 * run to end, not in a poll of paused partitions: such a poll has nothing to return and would sit out its
 * whole timeout, which capped a worker at about {@code concurrency} runs per poll timeout however short
 * its runs.
 *
 * <p>One thread owns the consumer; pool threads hand finished offsets back through a queue.
 */
final class TriggerDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerDispatcher.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * How often the loop commits the offsets of reported runs while it runs (it always commits on shutdown
     * and before giving partitions up). A commit is a round trip that blocks the loop, so committing after
     * every run capped how fast one instance could take triggers on; a crash re-runs at most this much work.
     */
    private static final long COMMIT_INTERVAL_MS = 200;

    private record Finished(TopicPartition partition, long offset) {
    }

    private final WorkerSettings settings;
    private final WorkerProducer producer;
    private final FanOutDoneWaiter waiter;
    private final RecentCancellations cancellations;
    private final OriginalEvents originals;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final SpecificAvroDeserializer<Trigger> deserializer;
    private final ExecutorService pool;
    /** Sends the heartbeats of every run in progress. */
    private final ScheduledExecutorService heartbeats;
    private final ReportedAttempts reported = new ReportedAttempts(100_000);
    private final Map<String, RunExecution> running = new ConcurrentHashMap<>();
    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    private final Map<TopicPartition, Long> endAtAssignment = new HashMap<>();
    private final Deque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** A permit per run that ended since the loop last looked: what a busy loop waits for. */
    private final Semaphore runsEnded = new Semaphore(0);
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean halting;
    private long lastCommitMs;

    TriggerDispatcher(WorkerSettings settings, WorkerProducer producer, FanOutDoneWaiter waiter,
            RecentCancellations cancellations, SchemaRegistryClient registry, OriginalEvents originals) {
        this.cancellations = cancellations;
        this.originals = originals;
        this.settings = settings;
        this.producer = producer;
        this.waiter = waiter;
        Map<String, Object> consumerSettings = new HashMap<>(settings.clientSettings());
        consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerSettings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerSettings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.concurrency());
        this.consumer = new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deserializer = new SpecificAvroDeserializer<>(Trigger.class, registry);
        this.deserializer.configure(settings.serdeSettings(), false);
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(settings.concurrency(), runnable -> {
            Thread t = new Thread(runnable, settings.name() + "-run-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, settings.name() + "-heartbeats");
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::loop, settings.name() + "-triggers");
    }

    void start() {
        consumer.subscribe(List.of(settings.topics().triggers()), new Rebalance());
        thread.start();
    }

    /** Stops taking triggers, lets runs finish within the grace period, reports the rest, commits. */
    void stop() {
        stopping = true;
        join();
    }

    /** Stops as a crash would: no further report, no commit. */
    void halt() {
        halting = true;
        stopping = true;
        running.values().forEach(RunExecution::halt);
        join();
    }

    int inFlight() {
        return inFlight.get();
    }

    private void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        try {
            while (!stopping) {
                boolean busy = inFlight.get() >= settings.concurrency();
                if (busy) {
                    awaitRunEnded();
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(busy ? Duration.ZERO : POLL)) {
                    progressOf(new TopicPartition(record.topic(), record.partition())).received(record.offset());
                    pending.add(record);
                }
                dispatchPending();
                applyBackpressure();
                commitFinishedEvery(COMMIT_INTERVAL_MS);
            }
            if (!halting) {
                drain();
            }
        } catch (RuntimeException e) {
            LOG.error("the trigger loop of {} failed; stopping it{}", settings.name(), SecurityFailures.explain(e)
                    .map(refused -> ": " + refused).orElse(""), e);
            running.values().forEach(RunExecution::halt);
        } finally {
            if (halting) {
                running.values().forEach(RunExecution::halt);
            }
            pool.shutdownNow();
            heartbeats.shutdownNow();
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            deserializer.close();
        }
    }

    /** Waits up to one poll timeout for a run to end (the partitions are paused: a poll would only wait). */
    private void awaitRunEnded() {
        try {
            if (runsEnded.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                runsEnded.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private void dispatchPending() {
        while (!pending.isEmpty() && inFlight.get() < settings.concurrency() && !stopping) {
            dispatch(pending.poll());
        }
    }

    private void applyBackpressure() {
        if (!pending.isEmpty() || inFlight.get() >= settings.concurrency()) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Finished done = new Finished(partition, record.offset());
        Trigger trigger;
        try {
            trigger = deserializer.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            LOG.error("skipping an unreadable trigger at {} offset {}: {}", partition, record.offset(), e.getMessage());
            finished.add(done);
            return;
        }
        RunHandler handler = settings.handler(trigger.getRepo(), trigger.getWorkflow());
        if (handler == null) {
            if (settings.repos().contains(trigger.getRepo())) {
                handler = run -> RunResult.failed("this worker (group " + settings.groupId() + ") has no handler for "
                        + "workflow '" + run.workflow() + "' of repo " + run.repo() + "; it handles "
                        + settings.workflowsOf(run.repo()) + ". Register one with handle(\"" + run.repo() + "\", \""
                        + run.workflow() + "\", ...)", false);
            } else {
                finished.add(done);
                return;
            }
        }
        String key = ReportedAttempts.key(trigger.getRunId(), trigger.getAttempt());
        if (reported.contains(key)) {
            LOG.debug("run {} attempt {} was already reported; not running it again", trigger.getRunId(), trigger.getAttempt());
            finished.add(done);
            return;
        }
        RunExecution already = running.get(key);
        if (already != null) {
            already.finished().whenComplete((ok, error) -> {
                if (Boolean.TRUE.equals(ok)) {
                    finished.add(done);
                }
            });
            return;
        }
        boolean redelivered = record.offset() < endAtAssignment.getOrDefault(partition, Long.MAX_VALUE);
        StartedReports started = new StartedReports(trigger, producer);
        RunExecution execution = new RunExecution(trigger, handler,
                new RunContext(trigger, redelivered, producer, waiter, started, cancellations, originals), producer, started,
                heartbeats, cancellations);
        running.put(key, execution);
        inFlight.incrementAndGet();
        execution.finished().whenComplete((ok, error) -> {
            if (Boolean.TRUE.equals(ok)) {
                reported.add(key);
                finished.add(done);
            }
            running.remove(key);
            inFlight.decrementAndGet();
            runsEnded.release();
        });
        pool.execute(execution);
    }

    /** Commits as {@link #commitFinished()} once {@code intervalMs} have passed since the last commit. */
    private void commitFinishedEvery(long intervalMs) {
        long now = System.currentTimeMillis();
        if (now - lastCommitMs >= intervalMs) {
            commitFinished();
            lastCommitMs = now;
        }
    }

    private void commitFinished() {
        for (Finished done; (done = finished.poll()) != null; ) {
            PartitionProgress partition = progress.get(done.partition());
            if (partition != null) {
                partition.done(done.offset());
            }
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        progress.forEach((partition, state) -> {
            long offset = state.toCommit();
            if (offset >= 0) {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        });
        if (!offsets.isEmpty()) {
            consumer.commitSync(offsets);
            offsets.forEach((partition, offset) -> progress.get(partition).committed(offset.offset()));
        }
    }

    /** The shutdown: no new runs; in-flight runs get the grace period, then are reported FAILED, retryable. */
    private void drain() {
        consumer.pause(consumer.assignment());
        pending.clear();
        pool.shutdown();
        Instant deadline = Instant.now().plus(settings.shutdownGracePeriod());
        while (inFlight.get() > 0 && Instant.now().isBefore(deadline)) {
            consumer.poll(POLL);
            commitFinished();
        }
        if (inFlight.get() > 0) {
            LOG.warn("{} runs did not finish within the shutdown grace period of {}; reporting them FAILED, retryable",
                    inFlight.get(), settings.shutdownGracePeriod());
            running.values().forEach(execution -> execution.abandon("the worker (group " + settings.groupId()
                    + ") shut down before the run finished (grace period " + settings.shutdownGracePeriod() + ")"));
            pool.shutdownNow();
        }
        commitFinished();
    }

    private PartitionProgress progressOf(TopicPartition partition) {
        return progress.computeIfAbsent(partition, p -> new PartitionProgress());
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!halting) {
                commitFinished();
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            endAtAssignment.putAll(consumer.endOffsets(partitions));
        }

        private void forget(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> {
                progress.remove(partition);
                endAtAssignment.remove(partition);
            });
            pending.removeIf(record -> partitions.contains(new TopicPartition(record.topic(), record.partition())));
        }
    }
}
