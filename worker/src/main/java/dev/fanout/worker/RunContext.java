package dev.fanout.worker;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.FanOutDone;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.avro.ParentRef;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.RunProgress;
import dev.fanout.avro.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Run} a handler gets: the trigger, nested events tied to it, and its cancellation. */
final class RunContext implements Run {

    private static final Logger LOG = LoggerFactory.getLogger(RunContext.class);

    /** Clocks of producers and of the coordinator may disagree; look back this much further. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Trigger trigger;
    private final boolean possiblyRedelivered;
    private final WorkerProducer producer;
    private final FanOutDoneWaiter waiter;
    private final StartedReports started;
    private final AtomicInteger emits = new AtomicInteger();
    /** Ids of every event the attempt published, in the order published. */
    private final Set<String> emitted = Collections.synchronizedSet(new LinkedHashSet<>());
    private final RecentCancellations cancellations;
    private final OriginalEvents originals;
    /** Kept once seen, so the memory's bound cannot make a run uncancelled. */
    private RunCancellation cancellation;
    private final List<Runnable> onCancel = new ArrayList<>();

    RunContext(Trigger trigger, boolean possiblyRedelivered, WorkerProducer producer, FanOutDoneWaiter waiter,
            StartedReports started, RecentCancellations cancellations, OriginalEvents originals) {
        this.originals = originals;
        this.cancellations = Objects.requireNonNull(cancellations, "cancellations");
        this.started = started;
        this.trigger = trigger;
        this.possiblyRedelivered = possiblyRedelivered;
        this.producer = producer;
        this.waiter = waiter;
    }

    @Override
    public Trigger trigger() {
        return trigger;
    }

    @Override
    public String runId() {
        return trigger.getRunId();
    }

    @Override
    public String treeId() {
        return trigger.getTreeId();
    }

    @Override
    public int attempt() {
        return trigger.getAttempt();
    }

    @Override
    public String repo() {
        return trigger.getRepo();
    }

    @Override
    public String workflow() {
        return trigger.getWorkflow();
    }

    @Override
    public Map<String, String> inputs() {
        return Map.copyOf(trigger.getInputs());
    }

    @Override
    public String input(String name) {
        Objects.requireNonNull(name, "name");
        String value = trigger.getInputs().get(name);
        if (value == null) {
            throw new IllegalArgumentException("run " + runId() + " (" + repo() + "/" + workflow() + ") has no input '"
                    + name + "'; its inputs are " + trigger.getInputs().keySet()
                    + " (declare it under inputs: in the subscription " + trigger.getSubscriptionId() + ")");
        }
        return value;
    }

    @Override
    public Optional<Integer> itemIndex() {
        return Optional.ofNullable(trigger.getItemIndex());
    }

    @Override
    public Optional<String> item() {
        return Optional.ofNullable(trigger.getItem());
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.ofNullable(trigger.getDeadline());
    }

    @Override
    public ArtifactEvent event() {
        return trigger.getEvent();
    }

    @Override
    public ArtifactEvent wholeEvent() {
        return trigger.getEventPayloadOmitted().isEmpty() ? trigger.getEvent() : originals.of(trigger);
    }

    @Override
    public void progress(String message) {
        progress(message, null);
    }

    @Override
    public void progress(String message, String details) {
        Objects.requireNonNull(message, "message");
        if (details != null) {
            try {
                JSON.readTree(details);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("progress details of run " + runId() + " are not JSON text: '"
                        + details + "' (" + e.getOriginalMessage() + "); pass a JSON object such as {\"done\": 3}, or null", e);
            }
        }
        started.progress(new RunProgress(message, details));
    }

    @Override
    public String emit(NestedEvent event) throws InterruptedException {
        ArtifactEvent record = toRecord(event);
        producer.publishAndWait(record);
        published(record);
        return record.getEventId();
    }

    @Override
    public FanOutDone emitAndWait(NestedEvent event, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        ArtifactEvent record = toRecord(event);
        String fanOutId = record.getEventId();
        CompletableFuture<FanOutDone> done = waiter.register(fanOutId);
        try {
            producer.publishAndWait(record);
            published(record);
            if (mayRepeatAnEarlierEmit() && !done.isDone()) {
                // The matcher drops an event id it has seen: the fan-out may have finished before we waited.
                waiter.lookBack(fanOutId, trigger.getEvent().getProducedAt().minus(CLOCK_SKEW));
            }
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FanOutWaitTimeoutException(fanOutId, timeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for the fan-out of event " + fanOutId + " failed", e.getCause());
        } finally {
            waiter.unregister(fanOutId);
        }
    }

    @Override
    public Optional<RunCancellation> cancellation() {
        synchronized (onCancel) {
            if (cancellation == null) {
                cancellation = cancellations.of(runId()).orElse(null);
            }
            return Optional.ofNullable(cancellation);
        }
    }

    @Override
    public void onCancel(Runnable action) {
        Objects.requireNonNull(action, "action");
        synchronized (onCancel) {
            if (cancellation().isEmpty()) {
                onCancel.add(action);
                return;
            }
        }
        runQuietly(action);
    }

    /** The worker saw the run's cancellation: remember it and run the actions registered for it, once. */
    void cancel(RunCancellation cancelled) {
        List<Runnable> actions;
        synchronized (onCancel) {
            if (cancellation == null) {
                cancellation = cancelled;
            }
            actions = List.copyOf(onCancel);
            onCancel.clear();
        }
        actions.forEach(this::runQuietly);
    }

    private void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("an onCancel action of run {} failed", runId(), e);
        }
    }

    /**
     * The ids for the final report's {@code emitted}: every event this attempt published (acknowledged),
     * waited for or not ({@code wait_for_children: false}), so the coordinator counts each of their fan-outs in
     * the tree even if the report reaches it first (the run waits for those it waits for; the others it
     * holds only until they open, so the tree cannot end without them). Null if none.
     */
    List<String> emitted() {
        synchronized (emitted) {
            return emitted.isEmpty() ? null : List.copyOf(emitted);
        }
    }

    private void published(ArtifactEvent record) {
        emitted.add(record.getEventId());
    }

    /** A retry, or a trigger another worker may have started before it crashed. */
    private boolean mayRepeatAnEarlierEmit() {
        return trigger.getAttempt() > 1 || possiblyRedelivered;
    }

    private ArtifactEvent toRecord(NestedEvent event) {
        Objects.requireNonNull(event, "event");
        String eventId = event.eventId(runId(), attempt(), emits.incrementAndGet());
        return ArtifactEvent.newBuilder()
                .setEventId(eventId)
                .setArtifact(event.artifact())
                .setEventType(event.eventType())
                .setSchemaVersion(event.schemaVersion())
                .setPayload(event.payload())
                .setProducedAt(Instant.now())
                .setSourceRepo(repo())
                .setParent(new ParentRef(treeId(), runId()))
                .setFanOut(event.fanOut().orElse(null))
                .setHeaders(event.headers().isEmpty() ? null : Map.copyOf(event.headers()))
                .build();
    }
}
