package dev.fanout.tree;

import dev.fanout.config.FanoutConfig;
import dev.fanout.config.RecordBudget;
import dev.fanout.config.TopologyNames;
import dev.fanout.tree.timer.Timers;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The tree coordinator: one processor per task owning every store of its trees ({@link CoordinatorStores}),
 * fed by plans, statuses, cancel requests and admission grants (keyed by tree id) and woken by two wall-clock punctuators, one for due timers (retries,
 * timeouts, heartbeats, removal of trees past their retention) and one for rate-limited progress. It only wires the parts together; each part says what it decides.
 */
final class TreeCoordinator implements Processor<String, TreeInput, String, TreeOutput> {

    private final FanoutConfig config;
    private ProcessorContext<String, TreeOutput> context;
    private TreeState state;
    private PlanApplier plans;
    private StatusApplier statuses;
    private CancelApplier cancels;
    private Releases releases;
    private TreeMetrics metrics;

    TreeCoordinator(FanoutConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, TreeOutput> context) {
        this.context = context;
        state = TreeState.of(context);
        CommitHook hook = context.getStateStore(TopologyNames.TREE_COMMIT_HOOK);
        hook.onCommit(state::writeStartedRuns, state::dropStartedRuns);
        Outputs outputs = new Outputs(context);
        RecordBudget budget = config.recordBudget();
        Timers timers = new Timers(state.timers());
        metrics = new TreeMetrics(context, state, timers);
        Outcomes outcomes = new Outcomes(state, config.failuresMax(), budget);
        Admission admission = new Admission(context, outputs);
        Triggers triggers = new Triggers(state);
        releases = new Releases(state, outputs, timers, admission, triggers);
        SiblingDependencies dependencies = new SiblingDependencies(state, releases);
        Compensations compensations = new Compensations(state, releases, dependencies, timers);
        Completion completion = new Completion(state, outputs, outcomes, releases,
                new FanOutResults(state, config.resultsMax()), metrics, timers, config.treeRetention().toMillis(), budget);
        Stops stops = new Stops(state, releases, dependencies, completion, outcomes, outputs);
        completion.wire(dependencies, stops, compensations);
        dependencies.completion(completion);
        compensations.completion(completion);
        FanOutOpener opener = new FanOutOpener(state, timers, metrics, completion);
        opener.stops(stops);
        plans = new PlanApplier(state, new Lineage(config.maxDepth()), releases, completion, opener, dependencies,
                stops, budget, triggers);
        Attempts attempts = new Attempts(releases, outcomes, completion, compensations);
        Heartbeats heartbeats = new Heartbeats(state, timers);
        heartbeats.attempts(attempts);
        statuses = new StatusApplier(state, outcomes, attempts, heartbeats);
        cancels = new CancelApplier(state, stops);
        TreeCleanup cleanup = new TreeCleanup(state, timers, config.treeCleanupBatch());
        TimerActions actions = new TimerActions(state, releases, attempts, stops, compensations, cleanup, heartbeats);
        Progress progress = new Progress(state, outputs);
        context.schedule(config.timersInterval(), PunctuationType.WALL_CLOCK_TIME,
                now -> {
                    metrics.countSome();
                    cleanup.newPunctuation();
                    timers.fireDue(now, this::inOneUnit, timer -> actions.fire(timer, now));
                    // Under at-least-once Streams commits every 30 s by default: runs moved to RUNNING and kept
                    // aside wait one punctuation at most.
                    state.writeStartedRuns();
                });
        context.schedule(config.progressInterval(), PunctuationType.WALL_CLOCK_TIME,
                now -> inOneUnit(() -> progress.sendPending(now)));
    }

    /**
     * Applies a plan or a status at the coordinator's own wall-clock time, never the record's timestamp: that
     * is the producer's or the worker's clock (or hours old, read after an outage), and the timers it starts
     * (fan-out timeouts, run deadlines, retry backoffs) are fired by the wall-clock punctuator. Counting them
     * from the record's time would let a skewed or late record shorten or stretch them (docs/trees.md).
     */
    @Override
    public void process(Record<String, TreeInput> record) {
        long nowMs = context.currentSystemTimeMs();
        inOneUnit(() -> {
            if (record.value() instanceof TreeInput.Plan plan) {
                plans.apply(plan.plan(), nowMs);
            } else if (record.value() instanceof TreeInput.Status status) {
                statuses.apply(status.status(), nowMs);
            } else if (record.value() instanceof TreeInput.Cancel cancel) {
                cancels.apply(cancel.cancel(), nowMs);
            } else if (record.value() instanceof TreeInput.Grant grant) {
                releases.granted(grant.grant(), nowMs);
            }
        });
    }

    /**
     * Applies one record or one timer as a unit of work over the tree nodes ({@link TreeState}): its
     * changes are written once at the end, or not at all if it fails (a refused record goes to the dead
     * letters and leaves the trees as they were).
     */
    private void inOneUnit(Runnable work) {
        try {
            work.run();
            state.flush();
        } catch (RuntimeException e) {
            state.discard();
            throw e;
        }
    }

    @Override
    public void close() {
        metrics.close();
    }
}
