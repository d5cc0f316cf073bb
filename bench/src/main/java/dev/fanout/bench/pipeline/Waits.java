package dev.fanout.bench.pipeline;

import dev.fanout.bench.BenchException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Waiting for the pipeline's outputs, with a deadline that says what did not arrive. */
final class Waits {

    private Waits() {
    }

    /** Polls every half millisecond, so that the time it returns is within that of the event. */
    static void until(BooleanSupplier done, Duration timeout, Runnable check, LongSupplier progress, String what) {
        until(done, timeout, check, () -> "got " + progress.getAsLong(), what);
    }

    /** As above, with {@code state} saying what is still missing when the time is up. */
    static void until(BooleanSupplier done, Duration timeout, Runnable check, Supplier<String> state, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            check.run();
            if (System.nanoTime() > deadline) {
                throw new BenchException("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + " (" + state.get() + ")", null);
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500));
        }
        check.run();
    }
}
