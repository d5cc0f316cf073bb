package dev.fanout.subscription.cel;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of evaluating user expressions against an event: a value, or the reason it could not be
 * computed. Evaluation runs on every event inside the pipeline, so a bad expression or an odd payload
 * must become a reason the caller records (skipped child, dead letter), never an exception that stops
 * a stream thread.
 */
public sealed interface Evaluation<T> permits Evaluation.Ok, Evaluation.Failed {

    static <T> Evaluation<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Evaluation<T> failed(String reason) {
        return new Failed<>(reason);
    }

    boolean isOk();

    /** The value; throws {@link IllegalStateException} when failed, so check {@link #isOk()} first. */
    T value();

    /** Why it failed; throws {@link IllegalStateException} when ok. */
    String reason();

    /** Applies {@code mapper} to a value; a failure passes through unchanged. */
    <R> Evaluation<R> map(Function<? super T, ? extends R> mapper);

    record Ok<T>(T value) implements Evaluation<T> {

        public Ok {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean isOk() {
            return true;
        }

        @Override
        public String reason() {
            throw new IllegalStateException("evaluation succeeded; there is no reason");
        }

        @Override
        public <R> Evaluation<R> map(Function<? super T, ? extends R> mapper) {
            return new Ok<>(mapper.apply(value));
        }
    }

    record Failed<T>(String reason) implements Evaluation<T> {

        public Failed {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean isOk() {
            return false;
        }

        @Override
        public T value() {
            throw new IllegalStateException("evaluation failed: " + reason);
        }

        @Override
        public <R> Evaluation<R> map(Function<? super T, ? extends R> mapper) {
            return new Failed<>(reason);
        }
    }
}
