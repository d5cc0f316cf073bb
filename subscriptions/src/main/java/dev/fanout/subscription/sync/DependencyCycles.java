package dev.fanout.subscription.sync;

import dev.fanout.avro.DependsOn;
import dev.fanout.avro.Subscription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds cycles among the {@code depends_on} edges of a set of subscriptions, across repositories. A child
 * in a cycle would wait for itself, so a sync refuses one before anything is published (the coordinator
 * skips the members of a cycle that reaches it anyway, with reason {@code dependency cycle}).
 *
 * <p>A {@code depends_on} id that is not in the set is no edge: it may belong to a repository that is not
 * synced this time, and a sibling that does not exist or did not match an event is ignored when the
 * children run.
 *
 * <p>Depth-first search, iterative so that a long chain cannot overflow the stack, over ids and edges in
 * sorted order: the same subscriptions always yield the same cycles, in the same words.
 */
public final class DependencyCycles {

    private DependencyCycles() {
    }

    /** One cycle: {@code path} starts and ends with the same id, e.g. [a/x, b/y, a/x]. */
    public record Cycle(List<String> path) {

        public Cycle {
            path = List.copyOf(path);
            if (path.size() < 2 || !path.get(0).equals(path.get(path.size() - 1))) {
                throw new IllegalArgumentException("a cycle's path starts and ends with the same id: " + path);
            }
        }

        /** For example {@code dependency cycle: svc-a/build -> docs-site/publish -> svc-a/build; remove one of these depends_on entries}. */
        public String message() {
            return "dependency cycle: " + String.join(" -> ", path) + "; remove one of these depends_on entries";
        }
    }

    /**
     * Cycles among {@code subscriptions}: at least one through every group of subscriptions that wait for
     * one another (one per edge that closes a cycle in the search), each starting at its smallest id,
     * sorted; empty when there is none. In a path, {@code a -> b} reads "a depends on b".
     */
    public static List<Cycle> find(Collection<Subscription> subscriptions) {
        Objects.requireNonNull(subscriptions, "subscriptions");
        SortedMap<String, SortedSet<String>> edges = edges(subscriptions);
        Map<String, Visit> visits = new HashMap<>();
        SortedSet<List<String>> cycles = new TreeSet<>(DependencyCycles::compare);
        for (String root : edges.keySet()) {
            if (!visits.containsKey(root)) {
                search(root, edges, visits, cycles);
            }
        }
        return cycles.stream().map(Cycle::new).toList();
    }

    private enum Visit { ON_PATH, DONE }

    private static SortedMap<String, SortedSet<String>> edges(Collection<Subscription> subscriptions) {
        SortedMap<String, SortedSet<String>> edges = new TreeMap<>();
        for (Subscription subscription : subscriptions) {
            edges.put(subscription.getId(), new TreeSet<>());
        }
        for (Subscription subscription : subscriptions) {
            DependsOn dependsOn = subscription.getDependsOn();
            if (dependsOn == null || dependsOn.getSubscriptions() == null) {
                continue;
            }
            for (String dependency : dependsOn.getSubscriptions()) {
                if (edges.containsKey(dependency)) {
                    edges.get(subscription.getId()).add(dependency);
                }
            }
        }
        return edges;
    }

    private static void search(String root, SortedMap<String, SortedSet<String>> edges, Map<String, Visit> visits,
                               SortedSet<List<String>> cycles) {
        List<String> path = new ArrayList<>();
        Deque<Iterator<String>> next = new ArrayDeque<>();
        path.add(root);
        next.push(edges.get(root).iterator());
        visits.put(root, Visit.ON_PATH);
        while (!next.isEmpty()) {
            Iterator<String> dependencies = next.peek();
            if (!dependencies.hasNext()) {
                visits.put(path.remove(path.size() - 1), Visit.DONE);
                next.pop();
                continue;
            }
            String dependency = dependencies.next();
            Visit visit = visits.get(dependency);
            if (visit == null) {
                path.add(dependency);
                next.push(edges.get(dependency).iterator());
                visits.put(dependency, Visit.ON_PATH);
            } else if (visit == Visit.ON_PATH) {
                cycles.add(rotated(path.subList(path.indexOf(dependency), path.size())));
            }
        }
    }

    /** The cycle through {@code members} as a path from its smallest id back to it. */
    private static List<String> rotated(List<String> members) {
        int start = members.indexOf(Collections.min(members));
        List<String> path = new ArrayList<>(members.subList(start, members.size()));
        path.addAll(members.subList(0, start));
        path.add(path.get(0));
        return List.copyOf(path);
    }

    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int byId = a.get(i).compareTo(b.get(i));
            if (byId != 0) {
                return byId;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
