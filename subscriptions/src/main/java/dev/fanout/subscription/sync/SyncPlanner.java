package dev.fanout.subscription.sync;

import dev.fanout.avro.Subscription;
import dev.fanout.subscription.discovery.ScanResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Compares declared subscriptions with those on the topic. Pure: the CLI publishes and prints the plan.
 *
 * <p>Deleting is the dangerous step, so it is guarded: a subscription is only removed when its
 * repository was read without errors and lies within the {@link RemovalScope}.
 */
public final class SyncPlanner {

    /** Plans a sync of a scan; see {@link RemovalScope} for what may be deleted. */
    public SyncPlan plan(ScanResult scan, Map<String, Subscription> current, RemovalScope scope) {
        Objects.requireNonNull(scan, "scan");
        Objects.requireNonNull(scope, "scope");
        Set<String> scanned = scan.repositories();
        Predicate<Subscription> inScope = scope == RemovalScope.WHOLE_ROOT
                ? subscription -> true
                : subscription -> scanned.contains(subscription.getRepo());
        return plan(scan.subscriptions(), current, inScope, subscription -> scan.isIncomplete(subscription.getRepo()));
    }

    /** Plans a plain diff: everything on the topic that is not declared is removed. */
    public SyncPlan plan(Collection<Subscription> declared, Map<String, Subscription> current) {
        return plan(declared, current, subscription -> true, subscription -> false);
    }

    private SyncPlan plan(Collection<Subscription> declared, Map<String, Subscription> current,
                          Predicate<Subscription> removable, Predicate<Subscription> protectedByError) {
        Objects.requireNonNull(declared, "declared");
        Objects.requireNonNull(current, "current");
        SortedMap<String, Subscription> wanted = new TreeMap<>();
        for (Subscription subscription : declared) {
            if (wanted.put(subscription.getId(), subscription) != null) {
                throw new IllegalArgumentException("subscription id declared twice: " + subscription.getId());
            }
        }
        List<Subscription> added = new ArrayList<>();
        List<SyncPlan.Change> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (Subscription subscription : wanted.values()) {
            Subscription existing = current.get(subscription.getId());
            if (existing == null) {
                added.add(subscription);
            } else if (existing.equals(subscription)) {
                unchanged.add(subscription.getId());
            } else {
                changed.add(new SyncPlan.Change(existing, subscription));
            }
        }
        List<Subscription> removed = new ArrayList<>();
        List<String> retained = new ArrayList<>();
        for (Map.Entry<String, Subscription> entry : new TreeMap<>(current).entrySet()) {
            Subscription existing = entry.getValue();
            if (wanted.containsKey(entry.getKey()) || !removable.test(existing)) {
                continue;
            }
            if (protectedByError.test(existing)) {
                retained.add(entry.getKey());
            } else {
                removed.add(existing);
            }
        }
        return new SyncPlan(added, changed, removed, unchanged, retained);
    }
}
