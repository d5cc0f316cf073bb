package dev.fanout.config;

/**
 * Every processor, store and internal topic of the topology, named once as {@code <subtopology>.<step>}.
 * Streams derives changelog and repartition topic names from these, so renaming one loses state on
 * upgrade: add names, never rename them.
 */
public final class TopologyNames {

    // matcher: subscriptions, keyed by subscription id
    public static final String MATCHER_READ_SUBSCRIPTIONS = "matcher.read-subscriptions";
    public static final String MATCHER_ROUTE_SUBSCRIPTIONS = "matcher.route-subscriptions";
    /** Store: subscription id → artifact ref it is indexed under, to remove the old entry on change. */
    public static final String MATCHER_SUBSCRIPTION_ARTIFACTS = "matcher.subscription-artifacts";
    /** Repartition topic: subscription changes keyed by artifact ref, co-partitioned with the events. */
    public static final String MATCHER_SUBSCRIPTIONS_BY_ARTIFACT = "matcher.subscriptions-by-artifact";

    // matcher: the index and the events, keyed by artifact ref
    public static final String MATCHER_INDEX_SUBSCRIPTIONS = "matcher.index-subscriptions";
    /** Store: {@code artifactRef|subscriptionId} → subscription; one prefix scan per event. */
    public static final String MATCHER_SUBSCRIPTION_INDEX = "matcher.subscription-index";
    public static final String MATCHER_READ_EVENTS = "matcher.read-events";
    public static final String MATCHER_PLAN_FAN_OUT = "matcher.plan-fan-out";
    /** Store: event id → wall-clock time first seen, for duplicate events. */
    public static final String MATCHER_SEEN_EVENTS = "matcher.seen-events";
    /** Store: event id → the event of a plan wider than a step, with its record's timestamp and headers. */
    public static final String MATCHER_PLAN_CURSORS = "matcher.plan-cursors";
    /** Store: event id → where the next step of its plan starts, rewritten at every step. */
    public static final String MATCHER_PLAN_POSITIONS = "matcher.plan-positions";
    /** Repartition topic: the plans of fan-outs keyed by tree id. */
    public static final String MATCHER_PLANS_BY_TREE = "matcher.plans-by-tree";

    // tree: keyed by tree id
    public static final String TREE_READ_STATUSES = "tree.read-statuses";
    /** Tombstones on the run-status topic carry no report; they are dropped before re-keying. */
    public static final String TREE_DROP_EMPTY_STATUSES = "tree.drop-empty-statuses";
    /** Before the repartition: each status says where it was read, for its dead letter if it becomes one. */
    public static final String TREE_STAMP_STATUS_ORIGIN = "tree.stamp-status-origin";
    /** Tells a report already on its tree's partition (it goes straight to the coordinator) from one that is not. */
    public static final String TREE_ROUTE_STATUSES = "tree.route-statuses";
    public static final String TREE_SPLIT_STATUSES = "tree.split-statuses";
    public static final String TREE_STATUSES_ON_TREE_PARTITION = "-on-tree-partition";
    public static final String TREE_STATUSES_ELSEWHERE = "-elsewhere";
    public static final String TREE_WRAP_DIRECT_STATUSES = "tree.wrap-direct-statuses";
    public static final String TREE_UNWRAP_ROUTED_STATUSES = "tree.unwrap-routed-statuses";
    public static final String TREE_MERGE_DIRECT_STATUSES = "tree.merge-direct-statuses";
    public static final String TREE_KEY_STATUSES_BY_TREE = "tree.key-statuses-by-tree";
    /** Repartition topic: workers' run statuses keyed by tree id, co-partitioned with the plans. */
    public static final String TREE_STATUSES_BY_TREE = "tree.statuses-by-tree";
    public static final String TREE_WRAP_PLANS = "tree.wrap-plans";
    public static final String TREE_WRAP_STATUSES = "tree.wrap-statuses";
    public static final String TREE_MERGE_INPUTS = "tree.merge-inputs";
    /** Processor: the tree coordinator (plans, statuses, timers in; triggers and completions out). */
    public static final String TREE_COORDINATE = "tree.coordinate";
    /** Store: run id → run node (depth, path, status, attempt, open fan-outs). */
    public static final String TREE_RUNS = "tree.runs";
    /** Store: fan-out id → fan-out node (event without its payload, what children inherit, counters). */
    public static final String TREE_FAN_OUTS = "tree.fan-outs";
    /** Store: tree id → tree node (counters over the tree, open fan-outs, done). */
    public static final String TREE_TREES = "tree.trees";
    /** Store: {@code fanOutId|itemIndex|subscriptionId} → child result; a range scan yields result order. */
    public static final String TREE_RESULTS = "tree.results";
    /** Store: {@code fanOutId|sequence} → run id of a child waiting for a concurrency slot. */
    public static final String TREE_QUEUED = "tree.queued";
    /** Store: big-endian due millis + timer id → timer; the punctuator range-scans what is due. */
    public static final String TREE_TIMERS = "tree.timers";
    /** Store: tree id → wall-clock time it last changed, for trees whose progress is not sent yet. */
    public static final String TREE_PROGRESS_PENDING = "tree.progress-pending";
    /**
     * Store (read model): {@code treeId|parent|fanOutOrdinal|itemIndex|subscriptionId} → run id, so a range
     * scan lists one parent's children in plan order (parent: run id, empty for the root fan-out).
     */
    public static final String TREE_CHILDREN = "tree.children";
    /** Store (read model): {@code treeId|parent|fanOutOrdinal} → fan-out id: the fan-outs a run (or the tree) opened. */
    public static final String TREE_CHILD_FAN_OUTS = "tree.child-fan-outs";
    /** Store (read model): {@code (Long.MAX_VALUE - startedAt)|treeId} → tree id: trees newest first. */
    public static final String TREE_TREES_BY_START = "tree.trees-by-start";
    /**
     * Store: {@code treeId|fanOutId} → run id of a run whose final report listed that event in {@code emitted}
     * before its fan-out opened; the run waits for it, and the entry goes when the fan-out opens.
     */
    public static final String TREE_EXPECTED_FAN_OUTS = "tree.expected-fan-outs";
    /**
     * Store: {@code fanOutId|subscriptionId} → sibling group: the children of one subscription in a fan-out
     * with dependencies, counted as one sibling; written at the plan's seal.
     */
    public static final String TREE_SIBLING_GROUPS = "tree.sibling-groups";
    /** Store: {@code fanOutId|subscriptionId|sequence} → run id of a child WAITING for its dependencies, in plan order. */
    public static final String TREE_WAITING = "tree.waiting";
    /**
     * Store: {@code fanOutId|(9999 - level)|(inverted completion)} → run id of a succeeded child to compensate:
     * a prefix scan yields the compensation order, highest dependency level first, latest completion first.
     */
    public static final String TREE_COMPENSATIONS = "tree.compensations";
    /**
     * Store: fan-out id → its event's payload (JSON text), written once when the fan-out opens and read only to
     * build its triggers, so that the fan-out's node, rewritten by every report, stays small however large the event.
     */
    public static final String TREE_FAN_OUT_PAYLOADS = "tree.fan-out-payloads";
    /**
     * Store that holds nothing and has no changelog: Kafka Streams flushes it before each commit of a coordinator
     * task, when the coordinator writes the runs it moved to RUNNING and kept aside (dev.fanout.tree.CommitHook).
     */
    public static final String TREE_COMMIT_HOOK = "tree.commit-hook";
    /** Source: cancel requests (tree-cancel topic), keyed by tree id. */
    public static final String TREE_READ_CANCELS = "tree.read-cancels";
    public static final String TREE_DROP_EMPTY_CANCELS = "tree.drop-empty-cancels";
    public static final String TREE_KEY_CANCELS_BY_TREE = "tree.key-cancels-by-tree";
    /** Repartition topic: cancel requests keyed by tree id, co-partitioned with the plans. */
    public static final String TREE_CANCELS_BY_TREE = "tree.cancels-by-tree";
    public static final String TREE_WRAP_CANCELS = "tree.wrap-cancels";
    public static final String TREE_MERGE_CANCELS = "tree.merge-cancels";
    public static final String TREE_RUN_CANCELLATIONS_BRANCH = "run-cancellations";
    public static final String TREE_UNWRAP_RUN_CANCELLATIONS = "tree.unwrap-run-cancellations";
    public static final String TREE_WRITE_RUN_CANCELLATIONS = "tree.write-run-cancellations";
    public static final String TREE_SPLIT_OUTPUTS = "tree.split-outputs-";
    public static final String TREE_TRIGGERS_BRANCH = "triggers";
    public static final String TREE_FAN_OUT_DONE_BRANCH = "fanout-done";
    public static final String TREE_TREE_DONE_BRANCH = "tree-done";
    public static final String TREE_PROGRESS_BRANCH = "tree-progress";
    public static final String TREE_UNWRAP_TRIGGERS = "tree.unwrap-triggers";
    public static final String TREE_UNWRAP_FAN_OUT_DONE = "tree.unwrap-fanout-done";
    public static final String TREE_UNWRAP_TREE_DONE = "tree.unwrap-tree-done";
    public static final String TREE_UNWRAP_PROGRESS = "tree.unwrap-tree-progress";
    public static final String TREE_WRITE_TRIGGERS = "tree.write-triggers";
    public static final String TREE_WRITE_FAN_OUT_DONE = "tree.write-fanout-done";
    public static final String TREE_WRITE_TREE_DONE = "tree.write-tree-done";
    public static final String TREE_WRITE_PROGRESS = "tree.write-tree-progress";

    // tree: admission grants, merged into the coordinator's inputs
    /** Source: the admission stage's grants (admission-grants topic), keyed by tree id. */
    public static final String TREE_READ_GRANTS = "tree.read-grants";
    public static final String TREE_DROP_EMPTY_GRANTS = "tree.drop-empty-grants";
    public static final String TREE_KEY_GRANTS_BY_TREE = "tree.key-grants-by-tree";
    /** Repartition topic: grants keyed by tree id, co-partitioned with the plans. */
    public static final String TREE_GRANTS_BY_TREE = "tree.grants-by-tree";
    public static final String TREE_WRAP_GRANTS = "tree.wrap-grants";
    public static final String TREE_MERGE_GRANTS = "tree.merge-grants";
    public static final String TREE_ADMISSION_BRANCH = "admission";
    public static final String TREE_UNWRAP_ADMISSION = "tree.unwrap-admission";
    public static final String TREE_WRITE_ADMISSION = "tree.write-admission";

    // admission: keyed by repository
    /** Global source: the repositories' limits (repo-limits topic), read by the coordinator and the admission stage. */
    public static final String ADMISSION_READ_LIMITS = "admission.read-limits";
    /** Global store: repository → its RepoLimits (none: unlimited). Read-only outside its global source. */
    public static final String ADMISSION_LIMITS = "admission.limits";
    /** Source: requests and releases (admission topic), keyed by repository. */
    public static final String ADMISSION_READ_MESSAGES = "admission.read-messages";
    public static final String ADMISSION_DROP_EMPTY_MESSAGES = "admission.drop-empty-messages";
    public static final String ADMISSION_DECIDE = "admission.decide";
    /** Store: repository → its counters, limit and rotation bounds (AdmissionRepo). */
    public static final String ADMISSION_REPOS = "admission.repos";
    /** Store: {@code repo|runId} → the run, waiting or granted (AdmissionRun). */
    public static final String ADMISSION_RUNS = "admission.runs";
    /** Store: {@code repo|treeId} → the bounds of a tree's queue (AdmissionTreeQueue). */
    public static final String ADMISSION_TREE_QUEUES = "admission.tree-queues";
    /** Store: {@code repo|treeId|sequence} → run id waiting, in plan order. */
    public static final String ADMISSION_WAITING = "admission.waiting";
    /** Store: {@code repo|sequence} → tree id whose turn comes then. */
    public static final String ADMISSION_ROTATION = "admission.rotation";
    public static final String ADMISSION_WRITE_GRANTS = "admission.write-grants";

    private TopologyNames() {
    }
}
