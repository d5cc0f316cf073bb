package dev.fanout.tree;

import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.TreeProgress;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.AdmissionMessage;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Sends the coordinator's records with the keys of the contract. */
final class Outputs {

    private final ProcessorContext<String, TreeOutput> context;

    Outputs(ProcessorContext<String, TreeOutput> context) {
        this.context = context;
    }

    /** Keyed by the subscriber repository, so a worker reads only its own partition's share. */
    void trigger(Trigger trigger, long timestamp) {
        context.forward(new Record<>(trigger.getRepo(), new TreeOutput.Release(trigger), timestamp));
    }

    /** Keyed by the parent run (the one waiting to resume), the tree id for a root fan-out. */
    void fanOutDone(FanOutDone done, long timestamp) {
        String key = done.getParentRunId() == null ? done.getTreeId() : done.getParentRunId();
        context.forward(new Record<>(key, new TreeOutput.FanOutFinished(done), timestamp));
    }

    void treeDone(TreeDone done, long timestamp) {
        context.forward(new Record<>(done.getTreeId(), new TreeOutput.TreeFinished(done), timestamp));
    }

    /** Keyed by the subscriber repository, like its trigger, so the worker that reads one finds the other. */
    void runCancellation(RunCancellation cancellation, long timestamp) {
        context.forward(new Record<>(cancellation.getRepo(), new TreeOutput.RunCancelled(cancellation), timestamp));
    }

    /** Keyed by the repository, read by the admission stage. */
    void admission(AdmissionMessage message, long timestamp) {
        context.forward(new Record<>(message.getRepo(), new TreeOutput.ToAdmission(message), timestamp));
    }

    void progress(TreeProgress progress, long timestamp) {
        context.forward(new Record<>(progress.getTreeId(), new TreeOutput.Progress(progress), timestamp));
    }
}
