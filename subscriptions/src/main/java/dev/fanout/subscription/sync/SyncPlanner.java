package dev.fanout.subscription.sync;

import dev.fanout.avro.RepoLimits;
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
 * repository was read without errors and lies within the {@link RemovalScope}. The same rule holds for a
 * repository's {@code limits} ({@link #planLimits}): removing them lifts the cap, so an error keeps them.
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

    /**
     * Plans a sync of a scan's limits: declared limits that differ from the topic's are set; limits on the
     * topic of a repository within {@code scope} that no longer declares any are removed, unless the
     * repository was not read completely (then they are retained).
     */
    public LimitsPlan planLimits(ScanResult scan, Map<String, RepoLimits> current, RemovalScope scope) {
        Objects.requireNonNull(scan, "scan");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(scope, "scope");
        Set<String> scanned = scan.repositories();
        List<RepoLimits> set = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        compare(scan.limits(), current, set, unchanged);
        List<String> removed = new ArrayList<>();
        List<String> retained = new ArrayList<>();
        for (String repo : new TreeMap<>(current).keySet()) {
            if (scan.limits().containsKey(repo) || (scope == RemovalScope.SCANNED_REPOSITORIES && !scanned.contains(repo))) {
                continue;
            }
            if (scan.isIncomplete(repo)) {
                retained.add(repo);
            } else {
                removed.add(repo);
            }
        }
        return new LimitsPlan(set, removed, unchanged, retained);
    }

    /** Plans a put of declared limits: sets those that differ from the topic's, removes nothing. */
    public LimitsPlan planLimits(Collection<RepoLimits> declared, Map<String, RepoLimits> current) {
        Objects.requireNonNull(declared, "declared");
        Objects.requireNonNull(current, "current");
        SortedMap<String, RepoLimits> wanted = new TreeMap<>();
        declared.forEach(limits -> wanted.put(limits.getRepo(), limits));
        List<RepoLimits> set = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        compare(wanted, current, set, unchanged);
        return new LimitsPlan(set, List.of(), unchanged, List.of());
    }

    private static void compare(SortedMap<String, RepoLimits> wanted, Map<String, RepoLimits> current,
                                List<RepoLimits> set, List<String> unchanged) {
        for (Map.Entry<String, RepoLimits> entry : wanted.entrySet()) {
            if (entry.getValue().equals(current.get(entry.getKey()))) {
                unchanged.add(entry.getKey());
            } else {
                set.add(entry.getValue());
            }
        }
    }
}
