package dev.fanout.query;

import dev.fanout.avro.DependsOn;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.FanOutState;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.StopCause;
import dev.fanout.tree.Statuses;
import dev.fanout.tree.StoreKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The picture of one fan-out: its children grouped by subscription (a {@code foreach} subscription is one
 * group over all its items, so 10,000 children are still a handful of groups), the {@code depends_on}
 * edges between the groups present, and each group's level (the longest chain of dependencies before it),
 * so that a reader can draw it left to right. One scan of the fan-out's children in {@code tree.children}
 * and a point read per child: the work is the fan-out's width, whatever the tree around it.
 */
final class FanOutGraph {

    /** The statuses a group counts, in the order a run goes through them. */
    static final List<String> STATUSES = List.of("PLANNED", "WAITING", "QUEUED", "QUOTA_WAIT", "TRIGGERED", "RUNNING",
            "SUCCEEDED", "FAILED", "TIMED_OUT", "SKIPPED");

    private final TreeStores stores;

    FanOutGraph(TreeStores stores) {
        this.stores = stores;
    }

    /** The graph of fan-out {@code fanOutId} of tree {@code treeId}; not found if it is not one of the tree's. */
    Map<String, Object> of(String treeId, String fanOutId) {
        FanOutNode fanOut = stores.fanOuts().get(fanOutId);
        if (fanOut == null || !fanOut.getTreeId().equals(treeId)) {
            throw ApiError.notFound("fan-out '" + fanOutId + "' is not a fan-out of tree '" + treeId + "'; pass the "
                    + "fan_out_id of one of this tree's nodes (the tree id for the root event's fan-out)");
        }
        Map<String, Group> groups = new LinkedHashMap<>();
        boolean finished = Statuses.stateOf(fanOut) == FanOutState.FINISHED && fanOut.getStop() == StopCause.TIMEOUT;
        String prefix = StoreKeys.childrenOfFanOut(treeId, fanOut.getParentRunId(), fanOut.getOrdinal());
        try (KeyValueIterator<String, String> range = stores.children().range(prefix, StoreKeys.prefixEnd(prefix))) {
            while (range.hasNext()) {
                KeyValue<String, String> entry = range.next();
                RunNode run = stores.runs().get(entry.value);
                if (run == null || !run.getFanOutId().equals(fanOutId)) {
                    continue;
                }
                groups.computeIfAbsent(run.getSubscriptionId(), id -> new Group(run)).add(run, finished);
            }
        }
        List<Map<String, Object>> edges = new ArrayList<>();
        for (Group group : groups.values()) {
            for (String dependency : group.dependencies()) {
                if (groups.containsKey(dependency)) {
                    Map<String, Object> edge = new LinkedHashMap<>();
                    edge.put("from", dependency);
                    edge.put("to", group.subscriptionId);
                    edge.put("mode", group.dependsOn.getMode().name());
                    edge.put("condition", group.dependsOn.getCondition().name());
                    edges.add(edge);
                }
            }
        }
        Levels levels = Levels.of(groups);
        List<Group> ordered = new ArrayList<>(groups.values());
        ordered.sort(Comparator.<Group>comparingInt(g -> levels.level(g.subscriptionId))
                .thenComparing(g -> g.subscriptionId));
        List<Map<String, Object>> groupsJson = new ArrayList<>();
        for (Group group : ordered) {
            groupsJson.add(group.json(levels));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tree_id", treeId);
        json.put("fan_out", fanOut(fanOut));
        json.put("groups", groupsJson);
        json.put("edges", edges);
        return json;
    }

    /** A fan-out's own JSON: what it is, where it is in its lifecycle, and why it stopped releasing children. */
    static Map<String, Object> fanOut(FanOutNode fanOut) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("fan_out_id", fanOut.getFanOutId());
        json.put("parent_run_id", fanOut.getParentRunId());
        json.put("artifact", fanOut.getEvent().getArtifact());
        json.put("state", Statuses.stateOf(fanOut).name());
        StopCause stop = fanOut.getStop();
        json.put("stop", stop == null ? null : stop.name());
        json.put("children", fanOut.getPlanned());
        json.put("done", fanOut.getDoneChildren());
        json.put("waiting", fanOut.getWaiting());
        json.put("counts", TreeReader.counts(fanOut.getCounts()));
        json.put("started_at", TreeReader.time(fanOut.getStartedAt()));
        json.put("finished_at", TreeReader.time(fanOut.getFinishedAt()));
        return json;
    }

    /** The children of one subscription in the fan-out. */
    private static final class Group {
        private final String subscriptionId;
        private final String repo;
        private final String workflow;
        private final DependsOn dependsOn;
        private final String compensateWorkflow;
        private final Map<String, Long> statuses = new LinkedHashMap<>();
        private long items;
        private boolean foreach;
        private long compensations;

        Group(RunNode first) {
            this.subscriptionId = first.getSubscriptionId();
            this.repo = first.getRepo();
            this.workflow = first.getWorkflow();
            this.dependsOn = first.getDependsOn();
            this.compensateWorkflow = first.getCompensateWorkflow();
            STATUSES.forEach(status -> statuses.put(status, 0L));
        }

        void add(RunNode run, boolean fanOutFinished) {
            items++;
            foreach |= run.getItemIndex() != null;
            // As a node shows it: a run still out when its fan-out timed out counts as timed out.
            RunNodeStatus status = fanOutFinished && TreeReader.isActive(run.getStatus()) ? RunNodeStatus.TIMED_OUT
                    : run.getStatus();
            statuses.merge(status.name(), 1L, Long::sum);
            if (run.getCompensationRunId() != null) {
                compensations++;
            }
        }

        List<String> dependencies() {
            return dependsOn == null ? List.of() : dependsOn.getSubscriptions();
        }

        Map<String, Object> json(Levels levels) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("subscription_id", subscriptionId);
            json.put("repo", repo);
            json.put("workflow", workflow);
            json.put("items", items);
            json.put("foreach", foreach);
            json.put("statuses", statuses);
            json.put("compensate_workflow", compensateWorkflow);
            json.put("compensations", compensations);
            json.put("depends_on", TreeReader.dependsOn(dependsOn));
            json.put("level", levels.level(subscriptionId));
            json.put("in_cycle", levels.inCycle(subscriptionId));
            return json;
        }
    }

    /**
     * Each group's level: 0 without a dependency among the groups present, else one more than its deepest
     * dependency's. Groups on a dependency cycle (which the matcher refuses, but a store may still hold) get
     * level 0 and are flagged, and edges inside a cycle are left out of the longest path.
     */
    private record Levels(Map<String, Integer> levels, Map<String, Boolean> cycles) {

        static Levels of(Map<String, Group> groups) {
            Map<String, List<String>> deps = new HashMap<>();
            groups.forEach((id, group) -> deps.put(id, group.dependencies().stream().filter(groups::containsKey).toList()));
            Map<String, Integer> component = new Tarjan(deps).components();
            Map<Integer, Integer> size = new HashMap<>();
            component.values().forEach(c -> size.merge(c, 1, Integer::sum));
            Map<String, Boolean> cycles = new HashMap<>();
            deps.forEach((id, list) -> cycles.put(id, size.get(component.get(id)) > 1 || list.contains(id)));
            Map<String, Integer> levels = new HashMap<>();
            for (String id : deps.keySet()) {
                level(id, deps, component, cycles, levels);
            }
            return new Levels(levels, cycles);
        }

        private static int level(String id, Map<String, List<String>> deps, Map<String, Integer> component,
                Map<String, Boolean> cycles, Map<String, Integer> levels) {
            Integer known = levels.get(id);
            if (known != null) {
                return known;
            }
            int level = 0;
            if (!cycles.get(id)) {
                for (String dependency : deps.get(id)) {
                    if (!component.get(dependency).equals(component.get(id))) {
                        level = Math.max(level, 1 + level(dependency, deps, component, cycles, levels));
                    }
                }
            }
            levels.put(id, level);
            return level;
        }

        int level(String id) {
            return levels.get(id);
        }

        boolean inCycle(String id) {
            return cycles.get(id);
        }
    }

    /** Strongly connected components (Tarjan), recursive: a fan-out has a few subscriptions, not thousands. */
    private static final class Tarjan {
        private final Map<String, List<String>> deps;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Map<String, Integer> component = new HashMap<>();
        private final List<String> stack = new ArrayList<>();
        private int next;
        private int components;

        Tarjan(Map<String, List<String>> deps) {
            this.deps = deps;
        }

        Map<String, Integer> components() {
            for (String id : deps.keySet()) {
                if (!index.containsKey(id)) {
                    visit(id);
                }
            }
            return component;
        }

        private void visit(String id) {
            index.put(id, next);
            low.put(id, next);
            next++;
            stack.add(id);
            for (String dependency : deps.get(id)) {
                if (!index.containsKey(dependency)) {
                    visit(dependency);
                    low.put(id, Math.min(low.get(id), low.get(dependency)));
                } else if (!component.containsKey(dependency)) {
                    low.put(id, Math.min(low.get(id), index.get(dependency)));
                }
            }
            if (low.get(id).equals(index.get(id))) {
                String member;
                do {
                    member = stack.remove(stack.size() - 1);
                    component.put(member, components);
                } while (!member.equals(id));
                components++;
            }
        }
    }
}
