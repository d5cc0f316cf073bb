package dev.fanout.subscription;

import dev.fanout.avro.Subscription;
import java.util.List;
import java.util.Objects;

/** A subscription compiled for matching, or the problems that make it unusable (the matcher dead-letters those). */
public sealed interface Compilation permits Compilation.Valid, Compilation.Invalid {

    /** The record compiled; for {@link Valid} the same as {@code compiled().subscription()}. */
    Subscription subscription();

    boolean isValid();

    record Valid(CompiledSubscription compiled) implements Compilation {

        public Valid {
            Objects.requireNonNull(compiled, "compiled");
        }

        @Override
        public Subscription subscription() {
            return compiled.subscription();
        }

        @Override
        public boolean isValid() {
            return true;
        }
    }

    record Invalid(Subscription subscription, List<Problem> problems) implements Compilation {

        public Invalid {
            Objects.requireNonNull(subscription, "subscription");
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid compilation needs at least one problem");
            }
        }

        @Override
        public boolean isValid() {
            return false;
        }

        /** All problems in one line, for a dead-letter header or a log line. */
        public String reason() {
            return String.join("; ", problems.stream().map(Problem::message).toList());
        }
    }
}
