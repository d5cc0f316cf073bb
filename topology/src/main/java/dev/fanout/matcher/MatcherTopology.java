package dev.fanout.matcher;

import static dev.fanout.config.TopologyNames.MATCHER_INDEX_SUBSCRIPTIONS;
import static dev.fanout.config.TopologyNames.MATCHER_PLANS_BY_TREE;
import static dev.fanout.config.TopologyNames.MATCHER_PLAN_CURSORS;
import static dev.fanout.config.TopologyNames.MATCHER_PLAN_FAN_OUT;
import static dev.fanout.config.TopologyNames.MATCHER_PLAN_POSITIONS;
import static dev.fanout.config.TopologyNames.MATCHER_READ_EVENTS;
import static dev.fanout.config.TopologyNames.MATCHER_READ_SUBSCRIPTIONS;
import static dev.fanout.config.TopologyNames.MATCHER_ROUTE_SUBSCRIPTIONS;
import static dev.fanout.config.TopologyNames.MATCHER_SEEN_EVENTS;
import static dev.fanout.config.TopologyNames.MATCHER_SUBSCRIPTIONS_BY_ARTIFACT;
import static dev.fanout.config.TopologyNames.MATCHER_SUBSCRIPTION_ARTIFACTS;
import static dev.fanout.config.TopologyNames.MATCHER_SUBSCRIPTION_INDEX;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.internal.PlanCursor;
import dev.fanout.avro.internal.PlanPosition;
import dev.fanout.avro.internal.PlanRecord;
import dev.fanout.avro.internal.SubscriptionChange;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.Topic;
import dev.fanout.subscription.CompiledSubscriptionCache;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The matcher: subscriptions in, plans of fan-outs out.
 *
 * <p>It is split where the keys change. Subscriptions arrive keyed by id and are routed (sub-topology
 * one) to a repartition topic keyed by artifact ref, so the index shares partitions with the events
 * (sub-topology two): each event meets exactly the subscriptions of its artifact with one prefix scan.
 * Plans leave keyed by tree id, because everything about one tree is decided on one partition
 * ({@link dev.fanout.tree.TreeTopology}).
 */
public final class MatcherTopology {

    private final FanoutTopics topics;
    private final FanoutConfig config;
    private final CompiledSubscriptionCache cache;

    public MatcherTopology(FanoutTopics topics, FanoutConfig config, CompiledSubscriptionCache cache) {
        this.topics = Objects.requireNonNull(topics, "topics");
        this.config = Objects.requireNonNull(config, "config");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    /** Adds the matcher and returns the plans, keyed by tree id, read back from their repartition topic. */
    public KStream<String, PlanRecord> build(StreamsBuilder builder) {
        Objects.requireNonNull(builder, "builder");
        addStores(builder);
        Topic<String, Subscription> subscriptions = topics.subscriptions();
        builder.stream(subscriptions.name(), Consumed.with(subscriptions.keySerde(), subscriptions.valueSerde())
                        .withName(MATCHER_READ_SUBSCRIPTIONS))
                .process(() -> new SubscriptionRouter(cache), Named.as(MATCHER_ROUTE_SUBSCRIPTIONS),
                        MATCHER_SUBSCRIPTION_ARTIFACTS)
                .repartition(Repartitioned.<String, SubscriptionChange>as(MATCHER_SUBSCRIPTIONS_BY_ARTIFACT)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(topics.serdes().forValues(SubscriptionChange.class)))
                .process(SubscriptionIndexer::new, Named.as(MATCHER_INDEX_SUBSCRIPTIONS), MATCHER_SUBSCRIPTION_INDEX);

        Topic<String, ArtifactEvent> events = topics.artifactEvents();
        ChildPlanner planner = new ChildPlanner(cache, config.maxWidth());
        return builder.stream(events.name(), Consumed.with(events.keySerde(), events.valueSerde())
                        .withName(MATCHER_READ_EVENTS))
                .process(() -> new FanOutPlanProcessor(planner, config.dedupeRetention(),
                        config.recordBudget(), config.planChildrenPerStep()), Named.as(MATCHER_PLAN_FAN_OUT),
                        MATCHER_SUBSCRIPTION_INDEX, MATCHER_SEEN_EVENTS, MATCHER_PLAN_CURSORS,
                        MATCHER_PLAN_POSITIONS)
                .repartition(Repartitioned.<String, PlanRecord>as(MATCHER_PLANS_BY_TREE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(topics.serdes().forValues(PlanRecord.class)));
    }

    private void addStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MATCHER_SUBSCRIPTION_ARTIFACTS), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MATCHER_SUBSCRIPTION_INDEX),
                Serdes.String(), topics.serdes().forValues(Subscription.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MATCHER_SEEN_EVENTS), Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MATCHER_PLAN_CURSORS),
                Serdes.String(), topics.serdes().forValues(PlanCursor.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MATCHER_PLAN_POSITIONS),
                Serdes.String(), topics.serdes().forValues(PlanPosition.class)));
    }
}
