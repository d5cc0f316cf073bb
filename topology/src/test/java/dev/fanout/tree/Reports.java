package dev.fanout.tree;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.RunProgress;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import java.util.List;

/** What a simulated worker reports on a trigger, stamped with the driver's wall clock. */
final class Reports {

    private Reports() {
    }

    static RunStatus started(FanoutDriver fanout, Trigger trigger) {
        return status(fanout, trigger, RunState.STARTED).build();
    }

    /** A STARTED report with the attempt's progress. */
    static RunStatus progress(FanoutDriver fanout, Trigger trigger, String message, String details) {
        return status(fanout, trigger, RunState.STARTED)
                .setProgress(RunProgress.newBuilder().setMessage(message).setDetails(details).build()).build();
    }

    static RunStatus succeeded(FanoutDriver fanout, Trigger trigger, String output) {
        return status(fanout, trigger, RunState.SUCCEEDED).setOutput(output).build();
    }

    /** A success that lists the events the attempt emitted and waits for. */
    static RunStatus succeeded(FanoutDriver fanout, Trigger trigger, String output, List<String> emitted) {
        return status(fanout, trigger, RunState.SUCCEEDED).setOutput(output).setEmitted(emitted).build();
    }

    /** A failure that lists the events the attempt emitted and waits for. */
    static RunStatus failed(FanoutDriver fanout, Trigger trigger, String error, boolean retryable, List<String> emitted) {
        return status(fanout, trigger, RunState.FAILED).setError(error).setRetryable(retryable).setEmitted(emitted)
                .build();
    }

    static RunStatus failed(FanoutDriver fanout, Trigger trigger, String error, boolean retryable) {
        return status(fanout, trigger, RunState.FAILED).setError(error).setRetryable(retryable).build();
    }

    private static RunStatus.Builder status(FanoutDriver fanout, Trigger trigger, RunState state) {
        return RunStatus.newBuilder()
                .setRunId(trigger.getRunId())
                .setTreeId(trigger.getTreeId())
                .setAttempt(trigger.getAttempt())
                .setStatus(state)
                .setReportedAt(fanout.now());
    }
}
