package dev.fanout.subscription.discovery;

import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.Subscription;
import dev.fanout.subscription.takofile.SourceError;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a scan of a directory of repositories found.
 *
 * @param subscriptions valid subscriptions, sorted by id
 * @param errors        everything that could not be read or is invalid, in scan order
 * @param repositories  every repository found (a folder with a tako.yml), sorted
 * @param incomplete    repositories or folders (relative, '/'-separated; "" is the root) whose
 *                      subscriptions may be missing from {@code subscriptions} because of an error;
 *                      a sync must not delete what was not seen
 * @param limits        the valid {@code limits} of the repositories that declare them, by repository, sorted
 */
public record ScanResult(List<Subscription> subscriptions, List<SourceError> errors,
                         SortedSet<String> repositories, SortedSet<String> incomplete,
                         SortedMap<String, RepoLimits> limits) {

    /** A scan in which no repository declares limits. */
    public ScanResult(List<Subscription> subscriptions, List<SourceError> errors,
                      SortedSet<String> repositories, SortedSet<String> incomplete) {
        this(subscriptions, errors, repositories, incomplete, new TreeMap<>());
    }

    public ScanResult {
        limits = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(limits));
        subscriptions = List.copyOf(subscriptions);
        errors = List.copyOf(errors);
        repositories = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(repositories));
        incomplete = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(incomplete));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** True when {@code repo}'s subscriptions may be missing from this result. */
    public boolean isIncomplete(String repo) {
        Objects.requireNonNull(repo, "repo");
        for (String path : incomplete) {
            if (path.isEmpty() || repo.equals(path) || repo.startsWith(path + "/")) {
                return true;
            }
        }
        return false;
    }
}
