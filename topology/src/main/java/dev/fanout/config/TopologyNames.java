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
    /** Repartition topic: the plans of fan-outs keyed by tree id. */
    public static final String MATCHER_PLANS_BY_TREE = "matcher.plans-by-tree";

    // tree: keyed by tree id
    public static final String TREE_APPLY_PLAN = "tree.apply-plan";
    /** Store: run id → run node (depth, path, status). */
    public static final String TREE_RUNS = "tree.runs";
    /** Store: fan-out id → fan-out node (event, what children inherit, counts). */
    public static final String TREE_FAN_OUTS = "tree.fan-outs";
    public static final String TREE_WRITE_TRIGGERS = "tree.write-triggers";

    private TopologyNames() {
    }
}
