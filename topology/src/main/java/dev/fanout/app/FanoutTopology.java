package dev.fanout.app;

import dev.fanout.avro.internal.PlanRecord;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.admission.AdmissionTopology;
import dev.fanout.matcher.MatcherTopology;
import dev.fanout.subscription.CompiledSubscriptionCache;
import dev.fanout.subscription.SubscriptionCompiler;
import dev.fanout.tree.TreeTopology;
import java.util.Objects;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

/** The whole topology: the matcher feeding the tree stage, and the admission stage beside it. Production and tests both build it here. */
public final class FanoutTopology {

    private FanoutTopology() {
    }

    /** The topology for topics of {@code fanout.topic.partitions} partitions (tests; production reads the count). */
    public static void build(StreamsBuilder builder, FanoutTopics topics, FanoutConfig config) {
        build(builder, topics, config, config.topicPartitions());
    }

    /**
     * The topology for topics whose events and run statuses have {@code treePartitions} partitions, as
     * {@link TreePartitionCount} reads them from the cluster.
     */
    public static void build(StreamsBuilder builder, FanoutTopics topics, FanoutConfig config, int treePartitions) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(config, "config");
        // One cache per topology, shared by its stream threads: a subscription is compiled once per version.
        CompiledSubscriptionCache cache = new CompiledSubscriptionCache(SubscriptionCompiler.withDefaults(),
                config.celCacheSize());
        KStream<String, PlanRecord> plans = new MatcherTopology(topics, config, cache).build(builder);
        new TreeTopology(topics, config, treePartitions).build(builder, plans);
        new AdmissionTopology(topics, config).build(builder);
    }
}
