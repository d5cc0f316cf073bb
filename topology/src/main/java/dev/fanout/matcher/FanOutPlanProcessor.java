package dev.fanout.matcher;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.internal.PlanCursor;
import dev.fanout.avro.internal.PlanOpened;
import dev.fanout.avro.internal.PlanPosition;
import dev.fanout.avro.internal.PlanRecord;
import dev.fanout.avro.internal.PlanSealed;
import dev.fanout.avro.internal.PlannedChild;
import dev.fanout.config.RecordBudget;
import dev.fanout.config.TopologyNames;
import dev.fanout.deadletter.OriginHeaders;
import dev.fanout.deadletter.RejectedRecordException;
import dev.fanout.subscription.match.PreparedEvent;
import dev.fanout.tree.TreeIds;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * For each event: drop it if seen before (planned, or being planned; not refused), refuse it if it is bad input,
 * otherwise scan its artifact's subscriptions and send its plan, keyed by tree id: opened (the event, once),
 * the children a hundred to a record ({@link PlanBatches}), sealed (the count). The width is checked before
 * the first record is sent, so a refused event leaves nothing half-planned.
 *
 * <p>A plan is written in steps of at most {@code fanout.plan.children.per.step} children, so that no
 * transaction and no step's memory grows with the width: the first step runs when the event is read; if
 * more children remain, the event is kept in {@code matcher.plan-cursors} and where the next step starts in
 * {@code matcher.plan-positions} ({@link PlanCursors}), and a wall-clock punctuator writes one step at a time
 * until the last, which sends the seal and deletes both. The position changes in the same transaction as the
 * children it accounts for,
 * so a crash between steps resumes where the last committed step ended: no child is lost or sent twice
 * (under at-least-once, a child sent twice is one run to the tree stage, which knows its run id).
 */
final class FanOutPlanProcessor implements Processor<String, ArtifactEvent, String, PlanRecord> {

    /** Metric: index entries read by prefix scans, summed; divided by events it is the cost per event. */
    static final String SCANNED_METRIC = "index-entries-scanned-total";
    static final String METRIC_GROUP = "fanout-matcher";
    /** How often the plans in progress take a step (as often as the stream thread's loop comes round). */
    static final Duration STEP_INTERVAL = Duration.ofMillis(10);
    /** Plans in progress read per step: a step's children go to the first of them that have any left. */
    private static final int MAX_PLANS_PER_STEP = 64;

    private final ChildPlanner planner;
    private final Duration dedupeRetention;
    private final RecordBudget budget;
    private final int childrenPerStep;
    private ProcessorContext<String, PlanRecord> context;
    private PlanCursors cursors;
    /** The event of the plan the last step continued. */
    private PreparedEvent preparedEvent;
    private SubscriptionIndex index;
    private SeenEvents seen;
    private Sensor scanned;

    FanOutPlanProcessor(ChildPlanner planner, Duration dedupeRetention, RecordBudget budget, int childrenPerStep) {
        this.childrenPerStep = childrenPerStep;
        this.planner = Objects.requireNonNull(planner, "planner");
        this.dedupeRetention = Objects.requireNonNull(dedupeRetention, "dedupeRetention");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    @Override
    public void init(ProcessorContext<String, PlanRecord> context) {
        this.context = context;
        KeyValueStore<String, Subscription> indexStore = context.getStateStore(TopologyNames.MATCHER_SUBSCRIPTION_INDEX);
        KeyValueStore<String, Long> seenStore = context.getStateStore(TopologyNames.MATCHER_SEEN_EVENTS);
        index = new SubscriptionIndex(indexStore);
        seen = new SeenEvents(seenStore, dedupeRetention);
        context.schedule(SeenEvents.punctuationInterval(dedupeRetention), PunctuationType.WALL_CLOCK_TIME, seen::expire);
        cursors = new PlanCursors(context.getStateStore(TopologyNames.MATCHER_PLAN_CURSORS),
                context.getStateStore(TopologyNames.MATCHER_PLAN_POSITIONS));
        context.schedule(STEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::continuePlans);
        scanned = scanSensor(context);
    }

    @Override
    public void process(Record<String, ArtifactEvent> record) {
        ArtifactEvent event = record.value();
        if (event == null) {
            return; // a tombstone on the events topic carries nothing to fan out
        }
        if (!event.getArtifact().equals(record.key())) {
            throw new RejectedRecordException("event " + event.getEventId() + " is keyed '" + record.key()
                    + "' but its artifact is '" + event.getArtifact() + "'; key events by their artifact ref so "
                    + "they reach the partition of its subscriptions");
        }
        if (seen.contains(event.getEventId()) || cursors.inProgress(event.getEventId())) {
            return;
        }
        long size = RecordBudget.sizeOf(event);
        if (size > budget.share(0.5)) {
            // It travels on inside the plan and the triggers: those must fit a record too.
            throw new RejectedRecordException("event " + event.getEventId() + " is about " + size + " bytes, over the "
                    + budget.share(0.5) + " bytes an event may take (half the record budget, from max.request.size "
                    + "and max.message.bytes); put large data elsewhere and carry a reference in the payload");
        }
        PreparedEvent prepared = PreparedEvent.prepare(event);
        prepared.problem().ifPresent(problem -> {
            throw new RejectedRecordException("event " + event.getEventId() + ": " + problem.reason());
        });
        String treeId = TreeIds.treeId(event);
        ChildPlanner.Step step;
        try (KeyValueIterator<String, Subscription> candidates = index.subscriptionsOf(event.getArtifact())) {
            step = planner.first(prepared, treeId, new ValueIterator<>(candidates), childrenPerStep);
        }
        scanned.record(step.scanned());
        Headers headers = OriginHeaders.stamped(record.withHeaders(new RecordHeaders(record.headers().toArray())),
                context.recordMetadata().orElse(null)).headers();
        PlanSender sender = new PlanSender(treeId, event.getEventId(), record.timestamp(), headers);
        sender.send(opened(event));
        if (step.refused()) {
            // The refused seal is on its way to the tree; the event itself goes to the dead letters. It is not
            // remembered as seen: sent again once the cause is fixed (a cap raised, subscriptions changed), it
            // is planned then.
            sender.send(new PlanSealed(0, step.refusal()));
            throw new RejectedRecordException(step.refusal());
        }
        sender.children(step.children());
        if (step.next() == null) {
            sender.send(new PlanSealed(step.children().size(), null));
        } else {
            cursors.open(event, treeId, record.timestamp(), headers, step.next(), step.children().size());
        }
        seen.remember(event.getEventId(), context.currentSystemTimeMs());
    }

    /**
     * Writes the next step of the plans in progress, in event id order, up to {@code childrenPerStep} children
     * in all: one transaction's worth.
     */
    void continuePlans(long nowMs) {
        int left = childrenPerStep;
        String last = null;
        for (int plans = 0; left > 0 && plans < MAX_PLANS_PER_STEP; plans++) {
            PlanCursors.Open open = cursors.after(last);
            if (open == null) {
                return;
            }
            left -= Math.max(1, step(open.eventId(), open.position(), left));
            last = open.eventId();
        }
    }

    private int step(String eventId, PlanPosition position, int limit) {
        PlanCursor cursor = cursors.cursor(eventId);
        ArtifactEvent event = cursor.getEvent();
        PreparedEvent prepared = prepared(event);
        ChildPlanner.Position from = new ChildPlanner.Position(position.getSubscriptionId(), position.getOffset());
        ChildPlanner.Step step;
        try (KeyValueIterator<String, Subscription> candidates =
                index.subscriptionsFrom(event.getArtifact(), position.getSubscriptionId())) {
            step = planner.next(prepared, cursor.getTreeId(), new ValueIterator<>(candidates), from, limit);
        }
        scanned.record(step.scanned());
        PlanSender sender = new PlanSender(cursor.getTreeId(), eventId, cursor.getTimestamp(), PlanCursors.headers(cursor));
        sender.children(step.children());
        int planned = position.getPlanned() + step.children().size();
        if (step.next() == null) {
            sender.send(new PlanSealed(planned, null));
            cursors.close(eventId);
            preparedEvent = null;
        } else {
            cursors.advance(eventId, step.next(), planned);
        }
        return step.children().size();
    }

    /** The event of the plan in progress, prepared (its payload parsed) once for all its steps. */
    private PreparedEvent prepared(ArtifactEvent event) {
        if (preparedEvent == null || !preparedEvent.event().getEventId().equals(event.getEventId())) {
            preparedEvent = PreparedEvent.prepare(event);
        }
        return preparedEvent;
    }

    @Override
    public void close() {
        context.metrics().removeSensor(scanned);
    }

    private PlanOpened opened(ArtifactEvent event) {
        RecordMetadata origin = context.recordMetadata().orElseThrow();
        return new PlanOpened(event, origin.topic(), origin.partition(), origin.offset());
    }

    /** Sends the records of one plan, all keyed by its tree id, with the event record's timestamp and headers. */
    private final class PlanSender {
        private final String treeId;
        private final String fanOutId;
        private final long timestamp;
        private final Headers headers;

        PlanSender(String treeId, String fanOutId, long timestamp, Headers headers) {
            this.treeId = treeId;
            this.fanOutId = fanOutId;
            this.timestamp = timestamp;
            this.headers = headers;
        }

        void children(List<PlannedChild> children) {
            PlanBatches.of(children).forEach(this::send);
        }

        void send(Object step) {
            PlanRecord plan = new PlanRecord(treeId, fanOutId, step);
            context.forward(new Record<>(treeId, plan, timestamp, new RecordHeaders(headers.toArray())));
        }
    }

    private static Sensor scanSensor(ProcessorContext<?, ?> context) {
        String task = context.taskId().toString();
        Sensor sensor = context.metrics().addSensor(METRIC_GROUP + ".index-entries-scanned." + task,
                Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(SCANNED_METRIC, METRIC_GROUP,
                "Subscription index entries read by prefix scans", Map.of("task-id", task)), new CumulativeSum());
        return sensor;
    }
}
