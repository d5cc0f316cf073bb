package dev.fanout.matcher;

import dev.fanout.avro.Subscription;
import dev.fanout.avro.internal.PlannedChild;
import dev.fanout.config.FanoutConfig;
import dev.fanout.subscription.Compilation;
import dev.fanout.subscription.CompiledSubscription;
import dev.fanout.subscription.CompiledSubscriptionCache;
import dev.fanout.subscription.cel.Evaluation;
import dev.fanout.subscription.cel.EventVariables;
import dev.fanout.subscription.match.MatchResult;
import dev.fanout.subscription.match.Matching;
import dev.fanout.subscription.match.PreparedEvent;
import dev.fanout.tree.TreeIds;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides the children of one event from its artifact's subscriptions: one per matched subscription,
 * one per {@code foreach} element, and a skipped child (with its reason) where an expression could not
 * be evaluated. Pure apart from the compile cache, so the processor around it only moves records.
 *
 * <p>The whole plan is decided before anything is sent: a fan-out over the width cap is refused as a
 * whole rather than cut short, and it stops collecting as soon as the cap is passed.
 */
final class ChildPlanner {

    /** The children in order, or why the fan-out is refused; {@code scanned} counts index entries read. */
    record Plan(List<PlannedChild> children, String refusal, long scanned) {
        boolean refused() {
            return refusal != null;
        }
    }

    private final CompiledSubscriptionCache cache;
    private final Matching matching = new Matching();
    private final int maxWidth;

    ChildPlanner(CompiledSubscriptionCache cache, int maxWidth) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.maxWidth = maxWidth;
    }

    /** @param event an event without problems ({@link PreparedEvent#problem()} empty) */
    Plan plan(PreparedEvent event, String treeId, Iterator<Subscription> candidates) {
        String fanOutId = TreeIds.fanOutId(event.event());
        EventVariables variables = event.variables().orElseThrow();
        List<PlannedChild> children = new ArrayList<>();
        long scanned = 0;
        while (candidates.hasNext()) {
            Subscription subscription = candidates.next();
            scanned++;
            // The index holds only valid subscriptions; an invalid one cannot get here, but must not match.
            if (!(cache.get(subscription) instanceof Compilation.Valid valid)) {
                continue;
            }
            Children of = new Children(valid.compiled(), treeId, fanOutId);
            MatchResult match = matching.match(event, valid.compiled());
            if (match.outcome() == MatchResult.Outcome.FILTER_FAILED) {
                children.add(of.skipped(null, match.reason()));
            } else if (match.isMatch()) {
                boolean fits = planMatched(of, variables, children);
                if (!fits) {
                    return new Plan(List.of(), widthRefusal(event), scanned);
                }
            }
            if (children.size() > maxWidth) {
                return new Plan(List.of(), widthRefusal(event), scanned);
            }
        }
        return new Plan(List.copyOf(children), null, scanned);
    }

    /**
     * Adds the children of a matched subscription.
     *
     * @return false, adding nothing, when its foreach list alone takes the plan over the width cap
     */
    private boolean planMatched(Children of, EventVariables variables, List<PlannedChild> children) {
        CompiledSubscription subscription = of.subscription();
        if (!subscription.hasForeach()) {
            Evaluation<Map<String, String>> inputs = subscription.renderInputs(variables);
            children.add(inputs.isOk() ? of.child(null, null, inputs.value()) : of.skipped(null, inputs.reason()));
            return true;
        }
        Evaluation<List<String>> items = subscription.items(variables);
        if (!items.isOk()) {
            children.add(of.skipped(null, items.reason()));
            return true;
        }
        List<String> elements = items.value();
        if (children.size() + elements.size() > maxWidth) {
            return false; // no need to render inputs of a plan that is refused anyway
        }
        for (int index = 0; index < elements.size(); index++) {
            String item = elements.get(index);
            Evaluation<Map<String, String>> inputs = subscription.renderInputs(variables, item, index);
            children.add(inputs.isOk() ? of.child(index, item, inputs.value()) : of.skipped(index, inputs.reason()));
        }
        return true;
    }

    private String widthRefusal(PreparedEvent event) {
        return "event " + event.event().getEventId() + " on " + event.event().getArtifact() + " fans out to more than "
                + maxWidth + " children (" + FanoutConfig.MAX_WIDTH + "); split the event, narrow the subscriptions' "
                + "filters or foreach lists, or raise " + FanoutConfig.MAX_WIDTH;
    }

    /** Builds the children of one subscription. */
    private record Children(CompiledSubscription subscription, String treeId, String fanOutId) {

        /** A foreach child's trigger leaves out of the event's payload the members its list is read from. */
        PlannedChild child(Integer index, String item, Map<String, String> inputs) {
            return builder(index).setItem(item).setInputs(inputs)
                    .setPayloadOmitted(index == null ? List.of() : subscription.payloadReadByForeach()).build();
        }

        PlannedChild skipped(Integer index, String reason) {
            return builder(index).setInputs(Map.of()).setSkippedReason(reason).build();
        }

        private PlannedChild.Builder builder(Integer index) {
            Subscription s = subscription.subscription();
            return PlannedChild.newBuilder()
                    .setRunId(TreeIds.runId(treeId, fanOutId, s.getId(), index))
                    .setSubscriptionId(s.getId())
                    .setRepo(s.getRepo())
                    .setWorkflow(s.getWorkflow())
                    .setItemIndex(index)
                    .setTimeoutMs(s.getTimeoutMs())
                    .setRetry(s.getRetry())
                    .setHeartbeatTimeoutMs(s.getHeartbeatTimeoutMs())
                    .setDependsOn(s.getDependsOn())
                    .setCompensateWorkflow(s.getCompensateWorkflow());
        }
    }
}
