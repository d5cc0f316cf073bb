package dev.fanout.subscription.sync;

import dev.fanout.avro.RepoLimits;
import java.util.List;

/**
 * What publishing a scan's {@code limits} to the repo-limits topic would do, by repository. Every list is
 * sorted by repository.
 *
 * @param set       limits that are new or differ from the topic's: publish them
 * @param removed   repositories whose limits are on the topic but no longer declared: publish a tombstone
 * @param unchanged repositories whose limits on the topic are the declared ones
 * @param retained  repositories whose limits are on the topic and not found in the scan, but kept because
 *                  the repository could not be read completely (a mistyped limit must not lift the cap)
 */
public record LimitsPlan(List<RepoLimits> set, List<String> removed, List<String> unchanged, List<String> retained) {

    public LimitsPlan {
        set = List.copyOf(set);
        removed = List.copyOf(removed);
        unchanged = List.copyOf(unchanged);
        retained = List.copyOf(retained);
    }

    /** True when the topic already matches the scan. */
    public boolean isEmpty() {
        return set.isEmpty() && removed.isEmpty();
    }
}
