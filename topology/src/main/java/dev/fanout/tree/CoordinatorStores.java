package dev.fanout.tree;

import static dev.fanout.config.TopologyNames.TREE_CHILDREN;
import static dev.fanout.config.TopologyNames.TREE_CHILD_FAN_OUTS;
import static dev.fanout.config.TopologyNames.TREE_COMPENSATIONS;
import static dev.fanout.config.TopologyNames.TREE_EXPECTED_FAN_OUTS;
import static dev.fanout.config.TopologyNames.TREE_FAN_OUTS;
import static dev.fanout.config.TopologyNames.TREE_FAN_OUT_PAYLOADS;
import static dev.fanout.config.TopologyNames.TREE_PROGRESS_PENDING;
import static dev.fanout.config.TopologyNames.TREE_QUEUED;
import static dev.fanout.config.TopologyNames.TREE_RESULTS;
import static dev.fanout.config.TopologyNames.TREE_RUNS;
import static dev.fanout.config.TopologyNames.TREE_SIBLING_GROUPS;
import static dev.fanout.config.TopologyNames.TREE_TIMERS;
import static dev.fanout.config.TopologyNames.TREE_TREES;
import static dev.fanout.config.TopologyNames.TREE_TREES_BY_START;
import static dev.fanout.config.TopologyNames.TREE_WAITING;

import dev.fanout.avro.ChildResult;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.SiblingGroup;
import dev.fanout.avro.internal.Timer;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.config.AvroSerdes;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The tree coordinator's stores, listed once: the topology adds them from here, the coordinator is
 * connected to {@link #names()}, {@link TreeState} opens them by these names, and tests iterate them.
 *
 * <p>A store is behind Streams' record cache when {@code cached}. The coordinator rewrites the same few keys
 * for every child (its fan-out's node and its tree's node, several times per record): for those the cache
 * keeps the latest value and writes it to RocksDB and the changelog once per commit instead of at every put.
 * Stores with one key per child (runs, queue, timers) stay uncached: each key is written about twice in all,
 * and in the completions benchmark's profile looking them up in the cache's sorted map cost more than the
 * writes it saved (docs/benchmarks.md). The payloads store holds one value per fan-out, as large as its event,
 * written once and read only to build triggers: uncached, it never takes room in the cache.
 */
public final class CoordinatorStores {

    /** One store: its name (which names its changelog: never rename one), its serdes, and whether it is cached. */
    public record Spec(String name, Serde<?> keys, Function<AvroSerdes, Serde<?>> values, boolean cached) {
        public Spec {
            Objects.requireNonNull(name, "name");
        }
    }

    private static final List<Spec> ALL = List.of(
            avro(TREE_RUNS, RunNode.class, false),
            avro(TREE_FAN_OUTS, FanOutNode.class, true),
            avro(TREE_TREES, TreeNode.class, true),
            avro(TREE_RESULTS, ChildResult.class, false),
            text(TREE_QUEUED),
            new Spec(TREE_TIMERS, Serdes.Bytes(), serdes -> serdes.forValues(Timer.class), false),
            new Spec(TREE_PROGRESS_PENDING, Serdes.String(), serdes -> Serdes.Long(), true),
            text(TREE_CHILDREN),
            text(TREE_CHILD_FAN_OUTS),
            text(TREE_TREES_BY_START),
            text(TREE_EXPECTED_FAN_OUTS),
            avro(TREE_SIBLING_GROUPS, SiblingGroup.class, false),
            text(TREE_WAITING),
            text(TREE_COMPENSATIONS),
            text(TREE_FAN_OUT_PAYLOADS));

    private CoordinatorStores() {
    }

    public static List<Spec> all() {
        return ALL;
    }

    /** Every store's name, in the order above: what the coordinator processor is connected to. */
    public static String[] names() {
        return ALL.stream().map(Spec::name).toArray(String[]::new);
    }

    /** Adds every store to {@code builder}, persistent (RocksDB), with its values' serdes from {@code serdes}. */
    static void addTo(StreamsBuilder builder, AvroSerdes serdes) {
        for (Spec spec : ALL) {
            builder.addStateStore(builderOf(spec, serdes));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static org.apache.kafka.streams.state.StoreBuilder<?> builderOf(Spec spec, AvroSerdes serdes) {
        var store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(spec.name()), (Serde) spec.keys(),
                (Serde) spec.values().apply(serdes));
        return spec.cached() ? store.withCachingEnabled() : store;
    }

    private static Spec avro(String name, Class<? extends org.apache.avro.specific.SpecificRecord> type, boolean cached) {
        return new Spec(name, Serdes.String(), serdes -> serdes.forValues(type), cached);
    }

    private static Spec text(String name) {
        return new Spec(name, Serdes.String(), serdes -> Serdes.String(), false);
    }
}
