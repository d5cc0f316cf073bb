package dev.fanout.subscription.takofile;

import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.Subscription;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one tako.yml declares: its valid subscriptions, its limits if it declares valid ones, and the
 * errors of everything else. A file with errors still yields its valid subscriptions, so one typo does
 * not hide the rest of the repository.
 */
public record ParsedTakoFile(String repo, List<Subscription> subscriptions, Optional<RepoLimits> limits,
                             List<SourceError> errors) {

    public ParsedTakoFile {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(limits, "limits");
        subscriptions = List.copyOf(subscriptions);
        errors = List.copyOf(errors);
    }

    /** A file that declares no limits. */
    public ParsedTakoFile(String repo, List<Subscription> subscriptions, List<SourceError> errors) {
        this(repo, subscriptions, Optional.empty(), errors);
    }

    static ParsedTakoFile failed(String repo, SourceError error) {
        return new ParsedTakoFile(repo, List.of(), List.of(error));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
