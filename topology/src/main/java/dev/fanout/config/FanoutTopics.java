package dev.fanout.config;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.TreeProgress;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.AdmissionGrant;
import dev.fanout.avro.internal.AdmissionMessage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics of the wire contract, named once. Built from configuration (the topic prefix and the
 * Schema Registry settings the value serdes need), never from mutable statics, so two installations
 * with different prefixes can live in one JVM (tests do).
 */
public final class FanoutTopics {

    public static final String ARTIFACT_EVENTS = "artifact-events";
    public static final String SUBSCRIPTIONS = "subscriptions";
    public static final String TRIGGERS = "triggers";
    public static final String RUN_STATUS = "run-status";
    public static final String FANOUT_DONE = "fanout-done";
    public static final String TREE_DONE = "tree-done";
    public static final String TREE_PROGRESS = "tree-progress";
    public static final String DEAD_LETTERS = "dead-letters";
    public static final String TREE_CANCEL = "tree-cancel";
    public static final String RUN_CANCELLATIONS = "run-cancellations";
    public static final String REPO_LIMITS = "repo-limits";
    public static final String ADMISSION = "admission";
    public static final String ADMISSION_GRANTS = "admission-grants";

    private final Topic<String, ArtifactEvent> artifactEvents;
    private final Topic<String, Subscription> subscriptions;
    private final Topic<String, Trigger> triggers;
    private final Topic<String, RunStatus> runStatus;
    private final Topic<String, FanOutDone> fanOutDone;
    private final Topic<String, TreeDone> treeDone;
    private final Topic<String, TreeProgress> treeProgress;
    private final Topic<byte[], byte[]> deadLetters;
    private final Topic<String, TreeCancel> treeCancel;
    private final Topic<String, RunCancellation> runCancellations;
    private final Topic<String, RepoLimits> repoLimits;
    private final Topic<String, AdmissionMessage> admission;
    private final Topic<String, AdmissionGrant> admissionGrants;
    private final AvroSerdes serdes;

    /**
     * @param prefix the topic prefix, such as {@code fanout.}
     * @param serdeConfig Schema Registry settings for the Avro serdes ({@code schema.registry.url} ...)
     */
    public FanoutTopics(String prefix, Map<String, ?> serdeConfig) {
        this(prefix, new AvroSerdes(Objects.requireNonNull(serdeConfig, "serdeConfig")));
    }

    /** Topics whose value serdes come from {@code serdes}, e.g. sharing an injected registry client. */
    public FanoutTopics(String prefix, AvroSerdes serdes) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(serdes, "serdes");
        this.serdes = serdes;
        artifactEvents = avro(prefix, ARTIFACT_EVENTS, false, ArtifactEvent.class, serdes);
        subscriptions = avro(prefix, SUBSCRIPTIONS, true, Subscription.class, serdes);
        triggers = avro(prefix, TRIGGERS, false, Trigger.class, serdes);
        runStatus = avro(prefix, RUN_STATUS, false, RunStatus.class, serdes);
        fanOutDone = avro(prefix, FANOUT_DONE, false, FanOutDone.class, serdes);
        treeDone = avro(prefix, TREE_DONE, false, TreeDone.class, serdes);
        treeProgress = avro(prefix, TREE_PROGRESS, true, TreeProgress.class, serdes);
        deadLetters = new Topic<>(new TopicSpec(prefix + DEAD_LETTERS, false, Map.of()),
                Serdes.ByteArray(), Serdes.ByteArray(), byte[].class);
        treeCancel = avro(prefix, TREE_CANCEL, false, TreeCancel.class, serdes);
        runCancellations = avro(prefix, RUN_CANCELLATIONS, false, RunCancellation.class, serdes);
        repoLimits = avro(prefix, REPO_LIMITS, true, RepoLimits.class, serdes);
        admission = avro(prefix, ADMISSION, false, AdmissionMessage.class, serdes);
        admissionGrants = avro(prefix, ADMISSION_GRANTS, false, AdmissionGrant.class, serdes);
    }

    /** Topics named by a {@link FanoutConfig} (its prefix) with the serde settings taken from the same map. */
    public static FanoutTopics from(Map<String, ?> config) {
        return new FanoutTopics(new FanoutConfig(config).topicPrefix(), config);
    }

    /** The serde factory the topics were built with, for internal topics and stores. */
    public AvroSerdes serdes() {
        return serdes;
    }

    public Topic<String, ArtifactEvent> artifactEvents() {
        return artifactEvents;
    }

    public Topic<String, Subscription> subscriptions() {
        return subscriptions;
    }

    public Topic<String, Trigger> triggers() {
        return triggers;
    }

    public Topic<String, RunStatus> runStatus() {
        return runStatus;
    }

    public Topic<String, FanOutDone> fanOutDone() {
        return fanOutDone;
    }

    public Topic<String, TreeDone> treeDone() {
        return treeDone;
    }

    public Topic<String, TreeProgress> treeProgress() {
        return treeProgress;
    }

    public Topic<byte[], byte[]> deadLetters() {
        return deadLetters;
    }

    /** Requests to cancel a tree (key: tree id), from the query API and {@code fanout cancel}. */
    public Topic<String, TreeCancel> treeCancel() {
        return treeCancel;
    }

    /** Runs whose tree was cancelled while they ran (key: repository, as triggers), for their workers. */
    public Topic<String, RunCancellation> runCancellations() {
        return runCancellations;
    }

    /**
     * The limits each repository declares in its tako.yml (key: repository; a tombstone: none), written by
     * {@code fanout subscriptions sync}. Read by the admission stage and, as a global table, by the tree coordinator.
     */
    public Topic<String, RepoLimits> repoLimits() {
        return repoLimits;
    }

    /**
     * The pipeline's own: the tree coordinator's admission requests and releases for runs of repositories with
     * a {@code max_in_flight} (key: repository), read by the admission stage. Internal records, not contract.
     */
    public Topic<String, AdmissionMessage> admission() {
        return admission;
    }

    /** The pipeline's own: the admission stage's grants (key: tree id), read by the tree coordinator. */
    public Topic<String, AdmissionGrant> admissionGrants() {
        return admissionGrants;
    }

    /** Every topic, in the order of the contract, then the pipeline's own admission topics. */
    public List<Topic<?, ?>> all() {
        return List.of(artifactEvents, subscriptions, triggers, runStatus, fanOutDone, treeDone, treeProgress,
                deadLetters, treeCancel, runCancellations, repoLimits, admission, admissionGrants);
    }

    public List<TopicSpec> specs() {
        return all().stream().map(Topic::spec).toList();
    }

    /** The topic of that full name, if it is one of the contract's. */
    public Optional<Topic<?, ?>> byName(String name) {
        return all().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    private static <V extends SpecificRecord> Topic<String, V> avro(String prefix, String suffix, boolean compacted,
            Class<V> type, AvroSerdes serdes) {
        return new Topic<>(new TopicSpec(prefix + suffix, compacted, Map.of()), Serdes.String(), serdes.forValues(type), type);
    }
}
