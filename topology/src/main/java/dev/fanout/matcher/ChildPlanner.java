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
 * be evaluated. Pure apart from the compile cache and the last foreach list, so the processor around it only
 * moves records.
 *
 * <p>It plans in steps of at most {@code limit} children, each from a {@link Position} in the plan (the
 * subscription whose children come next and how many of them are planned already), so that a plan of any
 * width is written in bounded steps and never held whole. The first step also counts the whole plan, and
 * a plan over the width cap is refused as a whole, before any child is sent (it stops counting as soon as
 * the cap is passed).
 */
final class ChildPlanner {

    /** Where a step starts: the subscription whose children come next, and how many of them are planned. */
    record Position(String subscriptionId, int offset) {
    }

    /**
     * One step: its children in order, where the next step starts (null: the plan is complete), the width of
     * the whole plan (the first step only; 0 otherwise), why the fan-out is refused (the first step only),
     * and the index entries read.
     */
    record Step(List<PlannedChild> children, Position next, long width, String refusal, long scanned) {
        boolean refused() {
            return refusal != null;
        }
    }

    private final CompiledSubscriptionCache cache;
    private final Matching matching = new Matching();
    private final int maxWidth;
    /** The last foreach list evaluated, by event and subscription: a plan's steps read the same list. */
    private String itemsKey;
    private Evaluation<List<String>> items;

    ChildPlanner(CompiledSubscriptionCache cache, int maxWidth) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.maxWidth = maxWidth;
    }

    /**
     * The first step of a plan: at most {@code limit} children, counting the rest to check the width cap.
     *
     * @param event an event without problems ({@link PreparedEvent#problem()} empty)
     * @param candidates the artifact's subscriptions in id order
     */
    Step first(PreparedEvent event, String treeId, Iterator<Subscription> candidates, int limit) {
        return plan(event, treeId, candidates, null, limit);
    }

    /**
     * A later step of a plan, from {@code from}; the width is not checked again.
     *
     * @param candidates the artifact's subscriptions in id order, from {@code from}'s subscription on
     */
    Step next(PreparedEvent event, String treeId, Iterator<Subscription> candidates, Position from, int limit) {
        return plan(event, treeId, candidates, Objects.requireNonNull(from, "from"), limit);
    }

    private Step plan(PreparedEvent event, String treeId, Iterator<Subscription> candidates, Position from, int limit) {
        String fanOutId = TreeIds.fanOutId(event.event());
        EventVariables variables = event.variables().orElseThrow();
        boolean counting = from == null;
        List<PlannedChild> children = new ArrayList<>();
        Position next = null;
        long width = 0;
        long scanned = 0;
        while (candidates.hasNext()) {
            Subscription subscription = candidates.next();
            scanned++;
            // The index holds only valid subscriptions; an invalid one cannot get here, but must not match.
            if (!(cache.get(subscription) instanceof Compilation.Valid valid)) {
                continue;
            }
            // The candidates start at the cursor's subscription: only its children may be planned already.
            int skip = from != null && subscription.getId().equals(from.subscriptionId()) ? from.offset() : 0;
            Children of = childrenOf(new Child(valid.compiled(), treeId, fanOutId), event, variables);
            width += of.size();
            if (counting && width > maxWidth) {
                return new Step(List.of(), null, width, widthRefusal(event), scanned);
            }
            if (next == null) {
                int index = skip;
                for (; index < of.size() && children.size() < limit; index++) {
                    children.add(of.child(index));
                }
                if (children.size() == limit) {
                    // The step is full: the next starts here (past the end of this subscription's children if
                    // they are all planned, so that it reads no subscription twice).
                    next = new Position(subscription.getId(), index);
                    if (!counting) {
                        break;
                    }
                }
            }
        }
        if (counting && width == children.size()) {
            next = null; // the step that filled up was also the last
        }
        return new Step(List.copyOf(children), next, counting ? width : 0, null, scanned);
    }

    /** A subscription's children, made one at a time as a step reaches them. */
    private interface Children {
        int size();

        PlannedChild child(int index);
    }

    private Children childrenOf(Child of, PreparedEvent event, EventVariables variables) {
        CompiledSubscription subscription = of.subscription();
        MatchResult match = matching.match(event, subscription);
        if (match.outcome() == MatchResult.Outcome.FILTER_FAILED) {
            return single(of.skipped(null, match.reason()));
        }
        if (!match.isMatch()) {
            return single(null);
        }
        if (!subscription.hasForeach()) {
            Evaluation<Map<String, String>> inputs = subscription.renderInputs(variables);
            return single(inputs.isOk() ? of.child(null, null, inputs.value()) : of.skipped(null, inputs.reason()));
        }
        Evaluation<List<String>> list = items(of, subscription, variables);
        if (!list.isOk()) {
            return single(of.skipped(null, list.reason()));
        }
        List<String> elements = list.value();
        return new Children() {
            @Override
            public int size() {
                return elements.size();
            }

            @Override
            public PlannedChild child(int index) {
                String item = elements.get(index);
                Evaluation<Map<String, String>> inputs = subscription.renderInputs(variables, item, index);
                return inputs.isOk() ? of.child(index, item, inputs.value()) : of.skipped(index, inputs.reason());
            }
        };
    }

    private Evaluation<List<String>> items(Child of, CompiledSubscription subscription, EventVariables variables) {
        String key = of.fanOutId() + "|" + subscription.id() + "|" + subscription.subscription().getForeach();
        if (!key.equals(itemsKey)) {
            items = subscription.items(variables);
            itemsKey = key;
        }
        return items;
    }

    private static Children single(PlannedChild child) {
        return new Children() {
            @Override
            public int size() {
                return child == null ? 0 : 1;
            }

            @Override
            public PlannedChild child(int index) {
                return child;
            }
        };
    }

    private String widthRefusal(PreparedEvent event) {
        return "event " + event.event().getEventId() + " on " + event.event().getArtifact() + " fans out to more than "
                + maxWidth + " children (" + FanoutConfig.MAX_WIDTH + "); split the event, narrow the subscriptions' "
                + "filters or foreach lists, or raise " + FanoutConfig.MAX_WIDTH;
    }

    /** Builds the children of one subscription. */
    private record Child(CompiledSubscription subscription, String treeId, String fanOutId) {

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
