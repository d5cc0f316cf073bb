package dev.fanout.query;

import dev.fanout.admission.QuotaPositions;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.TreeNode;
import dev.fanout.config.TopologyNames;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Trees located with Kafka Streams' interactive queries: a tree id's partition and active host from
 * {@link KafkaStreams#queryMetadataForKey}, the local partitions of the coordinator from this instance's
 * metadata (the partitions of the plans-by-tree repartition topic it consumes), each read with
 * {@link StoreQueryParameters#withPartition}. A repository's quota is located the same way, by repository on
 * store {@code admission.repos}, whose partitions are those of the admission topic.
 */
final class StreamsTreeLocator implements TreeLocator {

    private static final String TREE_INPUT_TOPIC_SUFFIX = TopologyNames.MATCHER_PLANS_BY_TREE + "-repartition";

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String scheme;
    private final String admissionTopic;

    /**
     * @param scheme         how every instance serves its API, {@code http} or {@code https}
     * @param admissionTopic the topic the admission stage reads, whose partitions its stores follow
     */
    StreamsTreeLocator(KafkaStreams streams, HostInfo self, String scheme, String admissionTopic) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.self = Objects.requireNonNull(self, "self");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.admissionTopic = Objects.requireNonNull(admissionTopic, "admissionTopic");
    }

    @Override
    public Owner ownerOf(String treeId) {
        KeyQueryMetadata metadata = metadataFor(TopologyNames.TREE_TREES, treeId, "tree '" + treeId + "'");
        if (metadata.activeHost().equals(self)) {
            return new Local(partition(metadata.partition()));
        }
        return remote(metadata);
    }

    @Override
    public RepoOwner ownerOfRepo(String repo) {
        KeyQueryMetadata metadata = metadataFor(TopologyNames.ADMISSION_REPOS, repo, "the quota of repository '" + repo + "'");
        if (metadata.activeHost().equals(self)) {
            return new LocalQuota(admission(metadata.partition()));
        }
        return remote(metadata);
    }

    @Override
    public List<QuotaPositions> localAdmissionPartitions() {
        requireQueryable();
        return streams.streamsMetadataForStore(TopologyNames.ADMISSION_REPOS).stream()
                .filter(metadata -> metadata.hostInfo().equals(self))
                .flatMap(metadata -> metadata.topicPartitions().stream())
                .filter(partition -> partition.topic().equals(admissionTopic))
                .map(partition -> admission(partition.partition()))
                .toList();
    }

    private KeyQueryMetadata metadataFor(String store, String key, String what) {
        requireQueryable();
        KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        } catch (IllegalStateException e) {
            throw rebalancing("the owner of " + what + " is not known yet");
        }
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) || metadata.activeHost() == null
                || metadata.activeHost().equals(HostInfo.unavailable())) {
            throw rebalancing("the owner of " + what + " is not known yet");
        }
        return metadata;
    }

    private Remote remote(KeyQueryMetadata metadata) {
        return new Remote(scheme + "://" + metadata.activeHost().host() + ":" + metadata.activeHost().port());
    }

    /** The admission stage's stores of one partition, read only. */
    private QuotaPositions admission(int partition) {
        return new QuotaPositions(store(TopologyNames.ADMISSION_REPOS, partition),
                store(TopologyNames.ADMISSION_RUNS, partition), store(TopologyNames.ADMISSION_TREE_QUEUES, partition),
                store(TopologyNames.ADMISSION_WAITING, partition), store(TopologyNames.ADMISSION_ROTATION, partition));
    }

    /** A store of one partition; one that moved away answers 503. */
    private <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(name,
                    QueryableStoreTypes.<String, V>keyValueStore()).withPartition(partition));
        } catch (InvalidStateStoreException e) {
            throw rebalancing("store " + name + " of partition " + partition + " is not available here: "
                    + e.getMessage());
        }
    }

    @Override
    public List<TreeStores> localPartitions() {
        requireQueryable();
        return streams.streamsMetadataForStore(TopologyNames.TREE_TREES).stream()
                .filter(metadata -> metadata.hostInfo().equals(self))
                .flatMap(metadata -> metadata.topicPartitions().stream())
                .filter(partition -> partition.topic().endsWith(TREE_INPUT_TOPIC_SUFFIX))
                .map(partition -> partition(partition.partition()))
                .toList();
    }

    @Override
    public List<String> otherInstances() {
        requireQueryable();
        return streams.streamsMetadataForStore(TopologyNames.TREE_TREES).stream()
                .map(StreamsMetadata::hostInfo)
                .filter(host -> !host.equals(self))
                .map(host -> scheme + "://" + host.host() + ":" + host.port())
                .distinct()
                .toList();
    }

    @Override
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public String state() {
        return streams.state().name();
    }

    private void requireQueryable() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
            throw ApiError.unavailable("Fanout is " + state + ", not RUNNING: its stores cannot be queried now; "
                    + "retry in a moment (GET /readyz says when it is ready)");
        }
    }

    private static ApiError rebalancing(String what) {
        return ApiError.unavailable(what + " (the instances are rebalancing or restoring state); retry in a moment");
    }

    private TreeStores partition(int partition) {
        return new PartitionStores(partition);
    }

    /** The coordinator's stores of one partition; a store that moved away answers 503. */
    private final class PartitionStores implements TreeStores {

        private final int partition;

        PartitionStores(int partition) {
            this.partition = partition;
        }

        @Override
        public ReadOnlyKeyValueStore<String, TreeNode> trees() {
            return store(TopologyNames.TREE_TREES);
        }

        @Override
        public ReadOnlyKeyValueStore<String, FanOutNode> fanOuts() {
            return store(TopologyNames.TREE_FAN_OUTS);
        }

        @Override
        public ReadOnlyKeyValueStore<String, RunNode> runs() {
            return store(TopologyNames.TREE_RUNS);
        }

        @Override
        public ReadOnlyKeyValueStore<String, String> children() {
            return store(TopologyNames.TREE_CHILDREN);
        }

        @Override
        public ReadOnlyKeyValueStore<String, String> childFanOuts() {
            return store(TopologyNames.TREE_CHILD_FAN_OUTS);
        }

        @Override
        public ReadOnlyKeyValueStore<String, String> treesByStart() {
            return store(TopologyNames.TREE_TREES_BY_START);
        }

        private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
            return StreamsTreeLocator.this.store(name, partition);
        }
    }
}
