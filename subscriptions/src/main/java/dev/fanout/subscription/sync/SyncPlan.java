package dev.fanout.subscription.sync;

import dev.fanout.avro.Subscription;
import java.util.List;
import java.util.Objects;

/**
 * What publishing a scan to the subscriptions topic would do. Every list is sorted by id.
 *
 * @param added     new ids: publish
 * @param changed   same id, different content: publish {@code after}
 * @param removed   on the topic, no longer declared: publish a tombstone
 * @param unchanged ids whose content is identical: nothing to do
 * @param retained  ids no longer declared but kept, because their repository could not be read
 *                  completely (an error must not delete a subscription)
 */
public record SyncPlan(List<Subscription> added, List<Change> changed, List<Subscription> removed,
                       List<String> unchanged, List<String> retained) {

    /** One subscription whose content differs between the topic and the scan. */
    public record Change(Subscription before, Subscription after) {

        public Change {
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
        }

        public String id() {
            return after.getId();
        }
    }

    public SyncPlan {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
        unchanged = List.copyOf(unchanged);
        retained = List.copyOf(retained);
    }

    /** True when the topic already matches the scan. */
    public boolean isEmpty() {
        return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
    }
}
