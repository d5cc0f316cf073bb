package dev.fanout.app;

import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import java.time.Instant;

/** What a simulated worker reports on a trigger, for the broker tests. */
final class RunReports {

    private RunReports() {
    }

    static RunStatus started(Trigger trigger) {
        return status(trigger, RunState.STARTED).build();
    }

    static RunStatus succeeded(Trigger trigger) {
        return succeeded(trigger, "{}");
    }

    static RunStatus succeeded(Trigger trigger, String output) {
        return status(trigger, RunState.SUCCEEDED).setOutput(output).build();
    }

    static RunStatus failed(Trigger trigger, String error, boolean retryable) {
        return status(trigger, RunState.FAILED).setError(error).setRetryable(retryable).build();
    }

    static RunStatus.Builder status(Trigger trigger, RunState state) {
        return RunStatus.newBuilder()
                .setRunId(trigger.getRunId())
                .setTreeId(trigger.getTreeId())
                .setAttempt(trigger.getAttempt())
                .setStatus(state)
                .setRetryable(true)
                .setReportedAt(Instant.now());
    }
}
