package dev.fanout.worker;

/**
 * The code a worker runs for one workflow. It is called once per attempt of a run (a redelivered
 * trigger whose attempt this worker already reported is not run again) on one of the worker's pool
 * threads.
 *
 * <p>Return {@link RunResult#succeeded} or {@link RunResult#failed}. Throwing is a failure too: the run
 * is reported FAILED and retryable (the subscription's {@code retry} decides whether it runs again),
 * unless the exception is a {@link NonRetryableException}.
 */
@FunctionalInterface
public interface RunHandler {

    RunResult handle(Run run) throws Exception;
}
