package dev.fanout.admission;

import static dev.fanout.config.TopologyNames.ADMISSION_DECIDE;
import static dev.fanout.config.TopologyNames.ADMISSION_DROP_EMPTY_MESSAGES;
import static dev.fanout.config.TopologyNames.ADMISSION_LIMITS;
import static dev.fanout.config.TopologyNames.ADMISSION_READ_LIMITS;
import static dev.fanout.config.TopologyNames.ADMISSION_READ_MESSAGES;
import static dev.fanout.config.TopologyNames.ADMISSION_REPOS;
import static dev.fanout.config.TopologyNames.ADMISSION_ROTATION;
import static dev.fanout.config.TopologyNames.ADMISSION_RUNS;
import static dev.fanout.config.TopologyNames.ADMISSION_TREE_QUEUES;
import static dev.fanout.config.TopologyNames.ADMISSION_WAITING;
import static dev.fanout.config.TopologyNames.ADMISSION_WRITE_GRANTS;

import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.internal.AdmissionGrant;
import dev.fanout.avro.internal.AdmissionMessage;
import dev.fanout.avro.internal.AdmissionRepo;
import dev.fanout.avro.internal.AdmissionRun;
import dev.fanout.avro.internal.AdmissionTreeQueue;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.Topic;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The admission stage, keyed by repository: a repository's {@code max_in_flight} counts runs across all its
 * trees, and the trees live on partitions of their own (keyed by tree id), so the count cannot be kept
 * there. The topology is split at this key: the coordinator writes requests and releases keyed by repository
 * to the admission topic, this stage decides ({@link AdmissionQueue}) and writes grants keyed by tree id to
 * the admission-grants topic, which the coordinator reads like cancel requests.
 *
 * <p>The repo-limits topic is a global table ({@code admission.limits}): the coordinator reads it to know
 * which repositories ask for admission at all (runs of the others are triggered with no round trip), and
 * this stage reads it for the limit itself.
 */
public final class AdmissionTopology {

    /** The stage's own stores, persistent (RocksDB); their names name their changelogs. */
    public static final List<String> STORES = List.of(ADMISSION_REPOS, ADMISSION_RUNS, ADMISSION_TREE_QUEUES,
            ADMISSION_WAITING, ADMISSION_ROTATION);

    private final FanoutTopics topics;
    private final FanoutConfig config;

    public AdmissionTopology(FanoutTopics topics, FanoutConfig config) {
        this.topics = Objects.requireNonNull(topics, "topics");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Adds the global table of limits, the stage's stores and its processor. */
    public void build(StreamsBuilder builder) {
        Objects.requireNonNull(builder, "builder");
        Topic<String, RepoLimits> repoLimits = topics.repoLimits();
        builder.globalTable(repoLimits.name(),
                Consumed.with(repoLimits.keySerde(), repoLimits.valueSerde()).withName(ADMISSION_READ_LIMITS),
                Materialized.<String, RepoLimits, KeyValueStore<Bytes, byte[]>>as(ADMISSION_LIMITS)
                        .withKeySerde(Serdes.String()).withValueSerde(repoLimits.valueSerde()));
        var serdes = topics.serdes();
        builder.addStateStore(store(ADMISSION_REPOS, serdes.forValues(AdmissionRepo.class)));
        builder.addStateStore(store(ADMISSION_RUNS, serdes.forValues(AdmissionRun.class)));
        builder.addStateStore(store(ADMISSION_TREE_QUEUES, serdes.forValues(AdmissionTreeQueue.class)));
        builder.addStateStore(store(ADMISSION_WAITING, Serdes.String()));
        builder.addStateStore(store(ADMISSION_ROTATION, Serdes.String()));
        Topic<String, AdmissionMessage> admission = topics.admission();
        Topic<String, AdmissionGrant> grants = topics.admissionGrants();
        builder.stream(admission.name(),
                        Consumed.with(admission.keySerde(), admission.valueSerde()).withName(ADMISSION_READ_MESSAGES))
                .filter((repo, message) -> message != null, Named.as(ADMISSION_DROP_EMPTY_MESSAGES))
                .process(() -> new AdmissionStage(config.timersInterval()), Named.as(ADMISSION_DECIDE),
                        STORES.toArray(String[]::new))
                .to(grants.name(), Produced.with(grants.keySerde(), grants.valueSerde()).withName(ADMISSION_WRITE_GRANTS));
    }

    private static <V> org.apache.kafka.streams.state.StoreBuilder<?> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }
}
