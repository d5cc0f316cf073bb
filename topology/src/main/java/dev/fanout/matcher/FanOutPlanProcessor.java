package dev.fanout.matcher;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.internal.PlanOpened;
import dev.fanout.avro.internal.PlanRecord;
import dev.fanout.avro.internal.PlanSealed;
import dev.fanout.config.RecordBudget;
import dev.fanout.config.TopologyNames;
import dev.fanout.deadletter.OriginHeaders;
import dev.fanout.deadletter.RejectedRecordException;
import dev.fanout.subscription.match.PreparedEvent;
import dev.fanout.tree.TreeIds;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.MetricName;
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
 * For each event: drop it if seen before (planned, not refused), refuse it if it is bad input, otherwise
 * scan its artifact's subscriptions and send its plan, keyed by tree id: opened (the event, once), the children a hundred
 * to a record ({@link PlanBatches}), sealed (the count). Everything is checked before the first record
 * is sent, so a refused event leaves nothing half-planned.
 */
final class FanOutPlanProcessor implements Processor<String, ArtifactEvent, String, PlanRecord> {

    /** Metric: index entries read by prefix scans, summed; divided by events it is the cost per event. */
    static final String SCANNED_METRIC = "index-entries-scanned-total";
    static final String METRIC_GROUP = "fanout-matcher";

    private final ChildPlanner planner;
    private final Duration dedupeRetention;
    private final RecordBudget budget;
    private ProcessorContext<String, PlanRecord> context;
    private SubscriptionIndex index;
    private SeenEvents seen;
    private Sensor scanned;

    FanOutPlanProcessor(ChildPlanner planner, Duration dedupeRetention, RecordBudget budget) {
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
        if (seen.contains(event.getEventId())) {
            return;
        }
        long size = RecordBudget.sizeOf(event);
        if (size > budget.share(0.5)) {
            // It travels on inside the plan, each trigger and the fan-out's node: those must fit a record too.
            throw new RejectedRecordException("event " + event.getEventId() + " is about " + size + " bytes, over the "
                    + budget.share(0.5) + " bytes an event may take (half the record budget, from max.request.size "
                    + "and max.message.bytes); put large data elsewhere and carry a reference in the payload");
        }
        PreparedEvent prepared = PreparedEvent.prepare(event);
        prepared.problem().ifPresent(problem -> {
            throw new RejectedRecordException("event " + event.getEventId() + ": " + problem.reason());
        });
        String treeId = TreeIds.treeId(event);
        ChildPlanner.Plan plan;
        try (KeyValueIterator<String, Subscription> candidates = index.subscriptionsOf(event.getArtifact())) {
            plan = planner.plan(prepared, treeId, new ValueIterator<>(candidates));
        }
        scanned.record(plan.scanned());
        send(record, treeId, opened(event));
        PlanBatches.of(plan.children()).forEach(batch -> send(record, treeId, batch));
        send(record, treeId, new PlanSealed(plan.children().size(), plan.refusal()));
        if (plan.refused()) {
            // The refused seal is already on its way to the tree; the event itself goes to the dead letters.
            // It is not remembered as seen: sent again once the cause is fixed (a cap raised, subscriptions
            // changed), it is planned then.
            throw new RejectedRecordException(plan.refusal());
        }
        seen.remember(event.getEventId(), context.currentSystemTimeMs());
    }

    @Override
    public void close() {
        context.metrics().removeSensor(scanned);
    }

    private PlanOpened opened(ArtifactEvent event) {
        RecordMetadata origin = context.recordMetadata().orElseThrow();
        return new PlanOpened(event, origin.topic(), origin.partition(), origin.offset());
    }

    private void send(Record<String, ArtifactEvent> record, String treeId, Object step) {
        PlanRecord plan = new PlanRecord(treeId, record.value().getEventId(), step);
        Record<String, PlanRecord> out = record.withKey(treeId).withValue(plan)
                .withHeaders(new RecordHeaders(record.headers().toArray()));
        context.forward(OriginHeaders.stamped(out, context.recordMetadata().orElse(null)));
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
