package dev.fanout.tree;

import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.DependencyCondition;
import dev.fanout.avro.DependencyMode;
import dev.fanout.avro.DependsOn;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.SiblingGroup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Dependencies among the children of one fan-out ({@code depends_on}): Kahn's algorithm over sibling
 * groups. A group is the children of one subscription (a {@code foreach} is one group over all its items),
 * so the graph has one node per matched subscription, never one per child.
 *
 * <p>A child with {@code depends_on} arrives WAITING ({@link PlanApplier}); which siblings matched is known
 * only when the plan is sealed, so the groups are built then ({@link #sealed}), from the children index, with
 * the outcomes of the children already done. From then on every child that is done updates its group
 * ({@link #childDone}); a group whose children are all done resolves its dependents: each is released (its
 * waiting children admitted in plan order, under the concurrency limit) when its condition holds, or skipped
 * with the reason when it no longer can, and a skip is one more sibling outcome for the groups after it.
 *
 * <p>A cycle among the groups (possible only when subscriptions were published without the sync's check)
 * skips its members with reason {@code dependency cycle}.
 */
final class SiblingDependencies {

    /** How a sibling group ended, as its dependents see it. */
    enum Outcome { PENDING, SUCCEEDED, FAILED, TIMED_OUT, SKIPPED }

    private final TreeState state;
    private final Releases releases;
    private Completion completion;

    SiblingDependencies(TreeState state, Releases releases) {
        this.state = state;
        this.releases = releases;
    }

    /** Set once, after construction: completion and dependencies call each other. */
    void completion(Completion completion) {
        this.completion = completion;
    }

    /** A child that has {@code depends_on} waits, holding no slot, until its group resolves. */
    void await(FanOutNode fanOut, RunNode run) {
        NodeStateMachine.move(run, RunNodeStatus.WAITING);
        state.save(run);
        state.waiting().put(StoreKeys.waiting(fanOut.getFanOutId(), run.getSubscriptionId(), fanOut.getPlanned()),
                run.getRunId());
        fanOut.setWaiting(fanOut.getWaiting() + 1);
        state.save(fanOut);
    }

    /** The plan is complete: build the groups, find levels and cycles, and resolve what can be resolved. */
    void sealed(FanOutNode fanOut, long nowMs) {
        Map<String, SiblingGroup> groups = scanGroups(fanOut);
        for (SiblingGroup group : groups.values()) {
            for (String listed : listed(group, groups)) {
                groups.get(listed).getDependents().add(group.getSubscriptionId());
            }
        }
        Set<String> inCycle = cycles(groups);
        levels(groups, inCycle);
        groups.values().forEach(state::save);
        for (String member : inCycle) { // all marked first, so that no member is skipped as another's dependent
            SiblingGroup group = state.siblingGroup(fanOut.getFanOutId(), member);
            group.setInCycle(true);
            group.setResolved(true);
            state.save(group);
        }
        for (String member : inCycle) {
            skipWaiting(fanOut, member, EndReason.DEPENDENCY_CYCLE.text(cyclePath(member, groups, inCycle)), nowMs);
        }
        for (String subscription : groups.keySet()) {
            resolve(fanOut, state.siblingGroup(fanOut.getFanOutId(), subscription), nowMs);
        }
    }

    /** A child is done (its nested fan-outs too): one more outcome for its group, which may resolve others. */
    void childDone(FanOutNode fanOut, RunNode run, long nowMs) {
        if (!fanOut.getHasDependencies() || !FanOutStateMachine.isSealed(fanOut) || run.getCompensates() != null) {
            return;
        }
        SiblingGroup group = state.siblingGroup(fanOut.getFanOutId(), run.getSubscriptionId());
        if (group == null) {
            return;
        }
        count(group, run);
        state.save(group);
        if (group.getDone() >= group.getPlanned()) {
            for (String dependent : group.getDependents()) {
                resolve(fanOut, state.siblingGroup(fanOut.getFanOutId(), dependent), nowMs);
            }
        }
    }

    /** The level of the child's subscription (0 without dependencies): compensation runs highest first. */
    int levelOf(FanOutNode fanOut, String subscriptionId) {
        if (!fanOut.getHasDependencies()) {
            return 0;
        }
        SiblingGroup group = state.siblingGroup(fanOut.getFanOutId(), subscriptionId);
        return group == null ? 0 : group.getLevel();
    }

    /**
     * Skips every waiting child of the fan-out (its timeout, fail_fast, a cancel). Skipped children are done,
     * so their groups' dependents resolve in turn (to skipped as well, since nothing is released any more).
     *
     * @param counted whether the skipped children are counted and done (false when the fan-out ends at once)
     */
    void skipAllWaiting(FanOutNode fanOut, String reason, boolean counted, long nowMs) {
        for (KeyValue<String, String> entry : entries(StoreKeys.fanOutPrefix(fanOut.getFanOutId()))) {
            state.waiting().delete(entry.key);
            skip(fanOut, entry.value, reason, counted, nowMs);
        }
    }

    private void resolve(FanOutNode fanOut, SiblingGroup group, long nowMs) {
        if (group == null || group.getResolved() || group.getDependsOn() == null) {
            return;
        }
        if (!FanOutStateMachine.releases(fanOut)) {
            return; // stopped: its waiting children are skipped with the stop's reason (Stops), not a sibling's
        }
        Verdict verdict = verdict(fanOut, group);
        if (verdict == Verdict.WAIT) {
            return;
        }
        group.setResolved(true);
        state.save(group);
        if (verdict.release) {
            for (KeyValue<String, String> entry : entries(StoreKeys.waitingOf(fanOut.getFanOutId(), group.getSubscriptionId()))) {
                state.waiting().delete(entry.key);
                RunNode run = state.run(entry.value);
                if (run != null && run.getStatus() == RunNodeStatus.WAITING) {
                    fanOut.setWaiting(fanOut.getWaiting() - 1);
                    fanOut.setTriggered(fanOut.getTriggered() + 1);
                    releases.admit(fanOut, run, nowMs);
                }
            }
        } else {
            skipWaiting(fanOut, group.getSubscriptionId(), verdict.reason, nowMs);
        }
    }

    private void skipWaiting(FanOutNode fanOut, String subscriptionId, String reason, long nowMs) {
        for (KeyValue<String, String> entry : entries(StoreKeys.waitingOf(fanOut.getFanOutId(), subscriptionId))) {
            state.waiting().delete(entry.key);
            skip(fanOut, entry.value, reason, true, nowMs);
        }
    }

    private void skip(FanOutNode fanOut, String runId, String reason, boolean counted, long nowMs) {
        RunNode run = state.run(runId);
        if (run == null || run.getStatus() != RunNodeStatus.WAITING) {
            return;
        }
        NodeStateMachine.move(run, RunNodeStatus.SKIPPED);
        run.setReason(reason);
        run.setFinishedAt(nowMs);
        state.save(run);
        fanOut.setWaiting(fanOut.getWaiting() - 1);
        fanOut.setSkipped(fanOut.getSkipped() + 1);
        state.save(fanOut);
        if (counted) {
            completion.skipped(fanOut, run, nowMs);
        } else {
            completion.recordOnly(fanOut, run, ChildStatus.SKIPPED, nowMs);
        }
    }

    /** Released, skipped (with the reason), or still waiting. */
    private static final class Verdict {
        static final Verdict WAIT = new Verdict(false, null);
        static final Verdict RELEASE = new Verdict(true, null);
        final boolean release;
        final String reason;

        Verdict(boolean release, String reason) {
            this.release = release;
            this.reason = reason;
        }

        static Verdict skip(String reason) {
            return new Verdict(false, EndReason.DEPENDENCY.text(reason));
        }
    }

    /**
     * The table of docs/trees.md: for each listed sibling that matched, whether its outcome meets the
     * condition; ALL needs every one, ANY one. A sibling that has ended without meeting it settles ALL
     * (skipped); ANY is skipped only once every sibling has ended without meeting it.
     */
    private Verdict verdict(FanOutNode fanOut, SiblingGroup group) {
        DependsOn dependsOn = group.getDependsOn();
        List<String> listed = new ArrayList<>();
        for (String id : dependsOn.getSubscriptions()) {
            if (!id.equals(group.getSubscriptionId()) && !listed.contains(id)
                    && state.siblingGroup(fanOut.getFanOutId(), id) != null) {
                listed.add(id);
            }
        }
        if (listed.isEmpty()) {
            return Verdict.RELEASE; // no listed sibling matched this event
        }
        DependencyCondition condition = dependsOn.getCondition() == null ? DependencyCondition.SUCCEEDED
                : dependsOn.getCondition();
        boolean any = dependsOn.getMode() == DependencyMode.ANY;
        int met = 0;
        int ended = 0;
        List<String> unmet = new ArrayList<>();
        for (String id : listed) {
            Outcome outcome = outcome(state.siblingGroup(fanOut.getFanOutId(), id));
            if (outcome == Outcome.PENDING) {
                continue;
            }
            ended++;
            if (meets(condition, outcome)) {
                met++;
            } else {
                unmet.add(id + " ended " + outcome);
            }
        }
        String wanted = condition.name().toLowerCase(java.util.Locale.ROOT);
        if (any) {
            if (met > 0) {
                return Verdict.RELEASE;
            }
            return ended == listed.size()
                    ? Verdict.skip("none of " + String.join(", ", unmet) + " (ANY, " + wanted + ")")
                    : Verdict.WAIT;
        }
        if (!unmet.isEmpty()) {
            return Verdict.skip(unmet.get(0) + " (ALL, " + wanted + ")");
        }
        return met == listed.size() ? Verdict.RELEASE : Verdict.WAIT;
    }

    static boolean meets(DependencyCondition condition, Outcome outcome) {
        return switch (condition) {
            case SUCCEEDED -> outcome == Outcome.SUCCEEDED;
            case FAILED -> outcome == Outcome.FAILED || outcome == Outcome.TIMED_OUT;
            case DONE -> outcome != Outcome.PENDING;
        };
    }

    /** SUCCEEDED when every child succeeded; else FAILED, TIMED_OUT or SKIPPED, the first that any child had. */
    static Outcome outcome(SiblingGroup group) {
        if (group.getDone() < group.getPlanned()) {
            return Outcome.PENDING;
        }
        if (group.getSucceeded() >= group.getPlanned()) {
            return Outcome.SUCCEEDED;
        }
        return group.getFailed() > 0 ? Outcome.FAILED : group.getTimedOut() > 0 ? Outcome.TIMED_OUT : Outcome.SKIPPED;
    }

    private static void count(SiblingGroup group, RunNode run) {
        group.setDone(group.getDone() + 1);
        ChildStatus status = run.getOutcome() == null ? ChildStatus.SKIPPED : run.getOutcome().getStatus();
        switch (status) {
            case SUCCEEDED -> group.setSucceeded(group.getSucceeded() + 1);
            case FAILED -> group.setFailed(group.getFailed() + 1);
            case TIMED_OUT -> group.setTimedOut(group.getTimedOut() + 1);
            default -> group.setSkipped(group.getSkipped() + 1);
        }
    }

    /** One pass over the fan-out's children in plan order: a group per subscription, done children counted. */
    private Map<String, SiblingGroup> scanGroups(FanOutNode fanOut) {
        Map<String, SiblingGroup> groups = new LinkedHashMap<>();
        String prefix = StoreKeys.childrenOfFanOut(fanOut.getTreeId(), fanOut.getParentRunId(), fanOut.getOrdinal());
        try (KeyValueIterator<String, String> children = state.children().prefixScan(prefix, Serdes.String().serializer())) {
            while (children.hasNext()) {
                RunNode run = state.peekRun(children.next().value);
                if (run == null) {
                    continue;
                }
                SiblingGroup group = groups.computeIfAbsent(run.getSubscriptionId(), id -> SiblingGroup.newBuilder()
                        .setFanOutId(fanOut.getFanOutId()).setSubscriptionId(id).setDependsOn(run.getDependsOn())
                        .setDependents(new ArrayList<>()).build());
                group.setPlanned(group.getPlanned() + 1);
                if (run.getDone()) {
                    count(group, run);
                }
            }
        }
        return groups;
    }

    /** The listed siblings that matched, other than the group itself. */
    private static List<String> listed(SiblingGroup group, Map<String, SiblingGroup> groups) {
        if (group.getDependsOn() == null) {
            return List.of();
        }
        return group.getDependsOn().getSubscriptions().stream().distinct()
                .filter(id -> groups.containsKey(id)).toList();
    }

    /** The groups on a cycle (a group listing itself is one): those that can reach themselves. */
    private static Set<String> cycles(Map<String, SiblingGroup> groups) {
        Map<String, Integer> blockers = new HashMap<>();
        groups.values().forEach(g -> blockers.put(g.getSubscriptionId(), listed(g, groups).size()));
        Deque<String> ready = new ArrayDeque<>();
        blockers.forEach((id, n) -> {
            if (n == 0) {
                ready.add(id);
            }
        });
        Set<String> sorted = new HashSet<>();
        while (!ready.isEmpty()) {
            String id = ready.poll();
            sorted.add(id);
            for (String dependent : groups.get(id).getDependents()) {
                if (blockers.merge(dependent, -1, Integer::sum) == 0) {
                    ready.add(dependent);
                }
            }
        }
        Set<String> onCycle = new java.util.TreeSet<>();
        for (String id : groups.keySet()) {
            if (!sorted.contains(id) && reaches(id, id, groups, new HashSet<>())) {
                onCycle.add(id);
            }
        }
        return onCycle;
    }

    private static boolean reaches(String from, String target, Map<String, SiblingGroup> groups, Set<String> seen) {
        for (String next : groups.get(from).getDependents()) {
            if (next.equals(target)) {
                return true;
            }
            if (seen.add(next) && reaches(next, target, groups, seen)) {
                return true;
            }
        }
        return false;
    }

    /** Longest chain of dependencies before each group, edges within a cycle left out. */
    private static void levels(Map<String, SiblingGroup> groups, Set<String> inCycle) {
        Map<String, Integer> blockers = new HashMap<>();
        for (SiblingGroup group : groups.values()) {
            long n = listed(group, groups).stream().filter(id -> !(inCycle.contains(id) && inCycle.contains(group.getSubscriptionId()))).count();
            blockers.put(group.getSubscriptionId(), (int) n);
        }
        Deque<String> ready = new ArrayDeque<>();
        blockers.forEach((id, n) -> {
            if (n == 0) {
                ready.add(id);
            }
        });
        while (!ready.isEmpty()) {
            SiblingGroup group = groups.get(ready.poll());
            for (String dependentId : group.getDependents()) {
                if (inCycle.contains(dependentId) && inCycle.contains(group.getSubscriptionId())) {
                    continue;
                }
                SiblingGroup dependent = groups.get(dependentId);
                dependent.setLevel(Math.max(dependent.getLevel(), group.getLevel() + 1));
                if (blockers.merge(dependentId, -1, Integer::sum) == 0) {
                    ready.add(dependentId);
                }
            }
        }
    }

    /** A cycle through {@code member}, for the reason: {@code a -> b -> a}. */
    private static String cyclePath(String member, Map<String, SiblingGroup> groups, Set<String> inCycle) {
        List<String> path = new ArrayList<>(List.of(member));
        String at = member;
        Set<String> seen = new HashSet<>(path);
        while (true) {
            String from = at;
            String next = groups.get(at).getDependents().stream().filter(inCycle::contains)
                    .filter(d -> d.equals(member) || reaches(d, member, groups, new HashSet<>(Set.of(from))))
                    .sorted().findFirst().orElse(member);
            path.add(next);
            if (next.equals(member) || !seen.add(next)) {
                break;
            }
            at = next;
        }
        // Edges run from a sibling to the one that depends on it: read the other way, each waits for the next.
        java.util.Collections.reverse(path);
        return String.join(" -> ", path);
    }

    private List<KeyValue<String, String>> entries(String prefix) {
        List<KeyValue<String, String>> entries = new ArrayList<>();
        try (KeyValueIterator<String, String> range = state.waiting().prefixScan(prefix, Serdes.String().serializer())) {
            range.forEachRemaining(entries::add);
        }
        return entries;
    }
}
