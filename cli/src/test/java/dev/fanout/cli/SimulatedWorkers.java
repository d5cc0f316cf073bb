package dev.fanout.cli;

import dev.fanout.app.Samples;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.RunProgress;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import java.time.Instant;

/** What workers do with their triggers, done by hand: report statuses and emit events from a run. */
final class SimulatedWorkers {

    private final LiveFanout fanout;

    SimulatedWorkers(LiveFanout fanout) {
        this.fanout = fanout;
    }

    void start(Trigger trigger) throws Exception {
        report(trigger, RunState.STARTED, null, true);
    }

    /** A STARTED report of the run with its progress. */
    void progress(Trigger trigger, String message, String details) throws Exception {
        send(status(trigger, RunState.STARTED, null, true).setProgress(new RunProgress(message, details)).build());
    }

    void succeed(Trigger trigger) throws Exception {
        report(trigger, RunState.SUCCEEDED, null, true);
    }

    void fail(Trigger trigger, String error, boolean retryable) throws Exception {
        report(trigger, RunState.FAILED, error, retryable);
    }

    /** The run of {@code trigger} emits an event: a nested fan-out below it. */
    void emitFrom(Trigger trigger, String eventId, String artifact, String payload) throws Exception {
        fanout.emit(Samples.childEvent(eventId, artifact, trigger.getTreeId(), trigger.getRunId())
                .setPayload(payload).setSourceRepo(trigger.getRepo()).setProducedAt(Instant.now()).build());
    }

    /** A root event: a new tree named {@code eventId}. */
    void emitRoot(String eventId, String artifact, String payload) throws Exception {
        ArtifactEvent event = Samples.event(eventId).setArtifact(artifact).setPayload(payload)
                .setProducedAt(Instant.now()).build();
        fanout.emit(event);
    }

    private void report(Trigger trigger, RunState state, String error, boolean retryable) throws Exception {
        send(status(trigger, state, error, retryable).build());
    }

    private static RunStatus.Builder status(Trigger trigger, RunState state, String error, boolean retryable) {
        return RunStatus.newBuilder()
                .setRunId(trigger.getRunId())
                .setTreeId(trigger.getTreeId())
                .setAttempt(trigger.getAttempt())
                .setStatus(state)
                .setError(error)
                .setRetryable(retryable)
                .setReportedAt(Instant.now());
    }

    private void send(RunStatus status) throws Exception {
        String topic = fanout.topics().runStatus().name();
        fanout.send(topic, status.getRunId(), fanout.topics().runStatus().valueSerde().serializer().serialize(topic, status));
    }
}
