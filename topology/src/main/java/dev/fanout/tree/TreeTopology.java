package dev.fanout.tree;

import static dev.fanout.config.TopologyNames.TREE_ADMISSION_BRANCH;
import static dev.fanout.config.TopologyNames.TREE_CANCELS_BY_TREE;
import static dev.fanout.config.TopologyNames.TREE_DROP_EMPTY_GRANTS;
import static dev.fanout.config.TopologyNames.TREE_GRANTS_BY_TREE;
import static dev.fanout.config.TopologyNames.TREE_KEY_GRANTS_BY_TREE;
import static dev.fanout.config.TopologyNames.TREE_MERGE_GRANTS;
import static dev.fanout.config.TopologyNames.TREE_READ_GRANTS;
import static dev.fanout.config.TopologyNames.TREE_UNWRAP_ADMISSION;
import static dev.fanout.config.TopologyNames.TREE_WRAP_GRANTS;
import static dev.fanout.config.TopologyNames.TREE_WRITE_ADMISSION;
import static dev.fanout.config.TopologyNames.TREE_COMMIT_HOOK;
import static dev.fanout.config.TopologyNames.TREE_COORDINATE;
import static dev.fanout.config.TopologyNames.TREE_DROP_EMPTY_CANCELS;
import static dev.fanout.config.TopologyNames.TREE_DROP_EMPTY_STATUSES;
import static dev.fanout.config.TopologyNames.TREE_FAN_OUT_DONE_BRANCH;
import static dev.fanout.config.TopologyNames.TREE_KEY_CANCELS_BY_TREE;
import static dev.fanout.config.TopologyNames.TREE_KEY_STATUSES_BY_TREE;
import static dev.fanout.config.TopologyNames.TREE_MERGE_CANCELS;
import static dev.fanout.config.TopologyNames.TREE_MERGE_INPUTS;
import static dev.fanout.config.TopologyNames.TREE_PROGRESS_BRANCH;
import static dev.fanout.config.TopologyNames.TREE_READ_CANCELS;
import static dev.fanout.config.TopologyNames.TREE_READ_STATUSES;
import static dev.fanout.config.TopologyNames.TREE_RUN_CANCELLATIONS_BRANCH;
import static dev.fanout.config.TopologyNames.TREE_SPLIT_OUTPUTS;
import static dev.fanout.config.TopologyNames.TREE_STAMP_STATUS_ORIGIN;
import static dev.fanout.config.TopologyNames.TREE_STATUSES_BY_TREE;
import static dev.fanout.config.TopologyNames.TREE_ROUTE_STATUSES;
import static dev.fanout.config.TopologyNames.TREE_SPLIT_STATUSES;
import static dev.fanout.config.TopologyNames.TREE_STATUSES_ON_TREE_PARTITION;
import static dev.fanout.config.TopologyNames.TREE_STATUSES_ELSEWHERE;
import static dev.fanout.config.TopologyNames.TREE_WRAP_DIRECT_STATUSES;
import static dev.fanout.config.TopologyNames.TREE_UNWRAP_ROUTED_STATUSES;
import static dev.fanout.config.TopologyNames.TREE_MERGE_DIRECT_STATUSES;
import static dev.fanout.config.TopologyNames.TREE_TREE_DONE_BRANCH;
import static dev.fanout.config.TopologyNames.TREE_TRIGGERS_BRANCH;
import static dev.fanout.config.TopologyNames.TREE_UNWRAP_FAN_OUT_DONE;
import static dev.fanout.config.TopologyNames.TREE_UNWRAP_PROGRESS;
import static dev.fanout.config.TopologyNames.TREE_UNWRAP_RUN_CANCELLATIONS;
import static dev.fanout.config.TopologyNames.TREE_UNWRAP_TREE_DONE;
import static dev.fanout.config.TopologyNames.TREE_UNWRAP_TRIGGERS;
import static dev.fanout.config.TopologyNames.TREE_WRAP_CANCELS;
import static dev.fanout.config.TopologyNames.TREE_WRAP_PLANS;
import static dev.fanout.config.TopologyNames.TREE_WRAP_STATUSES;
import static dev.fanout.config.TopologyNames.TREE_WRITE_FAN_OUT_DONE;
import static dev.fanout.config.TopologyNames.TREE_WRITE_PROGRESS;
import static dev.fanout.config.TopologyNames.TREE_WRITE_RUN_CANCELLATIONS;
import static dev.fanout.config.TopologyNames.TREE_WRITE_TREE_DONE;
import static dev.fanout.config.TopologyNames.TREE_WRITE_TRIGGERS;

import dev.fanout.avro.RunStatus;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.internal.AdmissionGrant;
import dev.fanout.avro.internal.PlanRecord;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.Topic;
import dev.fanout.deadletter.OriginHeaders;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The tree stage, keyed by tree id: everything about one tree lives on one partition, so a child's
 * depth, its parent run and every counter it moves are local reads and writes.
 *
 * <p>It is split where the keys change: workers report statuses keyed by run id. A report written to its tree's
 * partition of the run-status topic (as the worker SDK writes them) goes to the coordinator directly; any other
 * is re-keyed by tree id through its own repartition topic, co-partitioned with the plans ({@link StatusRoutes}).
 * So are cancel requests (whatever key their writer gave them) and the admission stage's grants; the four are merged into the
 * {@link TreeCoordinator}, whose output is split into the six topics it writes (the sixth: requests and releases
 * for the admission stage, keyed by repository, {@code dev.fanout.admission.AdmissionTopology}).
 */
public final class TreeTopology {

    private final FanoutTopics topics;
    private final FanoutConfig config;
    private final int partitions;

    /** @param partitions the partition count of the events and the run statuses, which is the tree stage's */
    public TreeTopology(FanoutTopics topics, FanoutConfig config, int partitions) {
        this.topics = Objects.requireNonNull(topics, "topics");
        this.config = Objects.requireNonNull(config, "config");
        if (partitions < 1) {
            throw new IllegalArgumentException("the tree stage needs at least one partition, not " + partitions);
        }
        this.partitions = partitions;
    }

    /** Adds the tree stage, fed by the matcher's plans keyed by tree id. */
    public void build(StreamsBuilder builder, KStream<String, PlanRecord> plans) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(plans, "plans");
        addStores(builder);
        Topic<String, RunStatus> runStatus = topics.runStatus();
        Map<String, KStream<String, StatusRoutes.Routed>> routes = builder.stream(runStatus.name(),
                        Consumed.with(runStatus.keySerde(), runStatus.valueSerde()).withName(TREE_READ_STATUSES))
                .filter((runId, status) -> status != null, Named.as(TREE_DROP_EMPTY_STATUSES))
                .processValues(() -> new StatusRoutes(partitions), Named.as(TREE_ROUTE_STATUSES))
                .split(Named.as(TREE_SPLIT_STATUSES))
                .branch((runId, routed) -> routed.onTreePartition(), Branched.as(TREE_STATUSES_ON_TREE_PARTITION))
                .defaultBranch(Branched.as(TREE_STATUSES_ELSEWHERE));
        KStream<String, TreeInput> direct = routes.get(TREE_SPLIT_STATUSES + TREE_STATUSES_ON_TREE_PARTITION)
                .map((runId, routed) -> KeyValue.pair(routed.status().getTreeId(), TreeInput.of(routed.status())),
                        Named.as(TREE_WRAP_DIRECT_STATUSES));
        KStream<String, TreeInput> statuses = routes.get(TREE_SPLIT_STATUSES + TREE_STATUSES_ELSEWHERE)
                .mapValues(StatusRoutes.Routed::status, Named.as(TREE_UNWRAP_ROUTED_STATUSES))
                .process(OriginHeaders<String, RunStatus>::new, Named.as(TREE_STAMP_STATUS_ORIGIN))
                .selectKey((runId, status) -> status.getTreeId(), Named.as(TREE_KEY_STATUSES_BY_TREE))
                .repartition(Repartitioned.<String, RunStatus>as(TREE_STATUSES_BY_TREE)
                        .withKeySerde(Serdes.String()).withValueSerde(runStatus.valueSerde())
                        .withNumberOfPartitions(partitions))
                .mapValues(TreeInput::of, Named.as(TREE_WRAP_STATUSES))
                .merge(direct, Named.as(TREE_MERGE_DIRECT_STATUSES));
        Topic<String, TreeCancel> treeCancel = topics.treeCancel();
        KStream<String, TreeInput> cancels = builder.stream(treeCancel.name(),
                        Consumed.with(treeCancel.keySerde(), treeCancel.valueSerde()).withName(TREE_READ_CANCELS))
                .filter((key, cancel) -> cancel != null, Named.as(TREE_DROP_EMPTY_CANCELS))
                .selectKey((key, cancel) -> cancel.getTreeId(), Named.as(TREE_KEY_CANCELS_BY_TREE))
                .repartition(Repartitioned.<String, TreeCancel>as(TREE_CANCELS_BY_TREE)
                        .withKeySerde(Serdes.String()).withValueSerde(treeCancel.valueSerde()))
                .mapValues(TreeInput::of, Named.as(TREE_WRAP_CANCELS));
        Topic<String, AdmissionGrant> admissionGrants = topics.admissionGrants();
        KStream<String, TreeInput> grants = builder.stream(admissionGrants.name(),
                        Consumed.with(admissionGrants.keySerde(), admissionGrants.valueSerde()).withName(TREE_READ_GRANTS))
                .filter((key, grant) -> grant != null, Named.as(TREE_DROP_EMPTY_GRANTS))
                .selectKey((key, grant) -> grant.getTreeId(), Named.as(TREE_KEY_GRANTS_BY_TREE))
                .repartition(Repartitioned.<String, AdmissionGrant>as(TREE_GRANTS_BY_TREE)
                        .withKeySerde(Serdes.String()).withValueSerde(admissionGrants.valueSerde()))
                .mapValues(TreeInput::of, Named.as(TREE_WRAP_GRANTS));
        Map<String, KStream<String, TreeOutput>> outputs = plans
                .mapValues(TreeInput::of, Named.as(TREE_WRAP_PLANS))
                .merge(statuses, Named.as(TREE_MERGE_INPUTS))
                .merge(cancels, Named.as(TREE_MERGE_CANCELS))
                .merge(grants, Named.as(TREE_MERGE_GRANTS))
                .process(() -> new TreeCoordinator(config), Named.as(TREE_COORDINATE), coordinatorStores())
                .split(Named.as(TREE_SPLIT_OUTPUTS))
                .branch((key, out) -> out instanceof TreeOutput.Release, Branched.as(TREE_TRIGGERS_BRANCH))
                .branch((key, out) -> out instanceof TreeOutput.FanOutFinished, Branched.as(TREE_FAN_OUT_DONE_BRANCH))
                .branch((key, out) -> out instanceof TreeOutput.TreeFinished, Branched.as(TREE_TREE_DONE_BRANCH))
                .branch((key, out) -> out instanceof TreeOutput.Progress, Branched.as(TREE_PROGRESS_BRANCH))
                .branch((key, out) -> out instanceof TreeOutput.RunCancelled, Branched.as(TREE_RUN_CANCELLATIONS_BRANCH))
                .branch((key, out) -> out instanceof TreeOutput.ToAdmission, Branched.as(TREE_ADMISSION_BRANCH))
                .noDefaultBranch();
        write(outputs.get(TREE_SPLIT_OUTPUTS + TREE_TRIGGERS_BRANCH), topics.triggers(), TREE_UNWRAP_TRIGGERS,
                TREE_WRITE_TRIGGERS);
        write(outputs.get(TREE_SPLIT_OUTPUTS + TREE_FAN_OUT_DONE_BRANCH), topics.fanOutDone(), TREE_UNWRAP_FAN_OUT_DONE,
                TREE_WRITE_FAN_OUT_DONE);
        write(outputs.get(TREE_SPLIT_OUTPUTS + TREE_TREE_DONE_BRANCH), topics.treeDone(), TREE_UNWRAP_TREE_DONE,
                TREE_WRITE_TREE_DONE);
        write(outputs.get(TREE_SPLIT_OUTPUTS + TREE_PROGRESS_BRANCH), topics.treeProgress(), TREE_UNWRAP_PROGRESS,
                TREE_WRITE_PROGRESS);
        write(outputs.get(TREE_SPLIT_OUTPUTS + TREE_RUN_CANCELLATIONS_BRANCH), topics.runCancellations(),
                TREE_UNWRAP_RUN_CANCELLATIONS, TREE_WRITE_RUN_CANCELLATIONS);
        write(outputs.get(TREE_SPLIT_OUTPUTS + TREE_ADMISSION_BRANCH), topics.admission(), TREE_UNWRAP_ADMISSION,
                TREE_WRITE_ADMISSION);
    }

    private static <V extends SpecificRecord> void write(KStream<String, TreeOutput> branch, Topic<String, V> topic,
            String unwrap, String write) {
        branch.mapValues(out -> topic.valueType().cast(out.value()), Named.as(unwrap))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName(write));
    }

    private void addStores(StreamsBuilder builder) {
        CoordinatorStores.addTo(builder, topics.serdes());
        builder.addStateStore(CommitHook.builder(TREE_COMMIT_HOOK));
    }

    /** The coordinator's stores and its commit hook ({@link CommitHook}), which holds nothing. */
    private static String[] coordinatorStores() {
        String[] stores = CoordinatorStores.names();
        String[] all = Arrays.copyOf(stores, stores.length + 1);
        all[stores.length] = TREE_COMMIT_HOOK;
        return all;
    }
}
