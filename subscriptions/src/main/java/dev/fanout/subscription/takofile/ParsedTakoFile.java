package dev.fanout.subscription.takofile;

import dev.fanout.avro.Subscription;
import java.util.List;
import java.util.Objects;

/**
 * What one tako.yml declares: its valid subscriptions and the errors of everything else. A file with
 * errors still yields its valid subscriptions, so one typo does not hide the rest of the repository.
 */
public record ParsedTakoFile(String repo, List<Subscription> subscriptions, List<SourceError> errors) {

    public ParsedTakoFile {
        Objects.requireNonNull(repo, "repo");
        subscriptions = List.copyOf(subscriptions);
        errors = List.copyOf(errors);
    }

    static ParsedTakoFile failed(String repo, SourceError error) {
        return new ParsedTakoFile(repo, List.of(), List.of(error));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
