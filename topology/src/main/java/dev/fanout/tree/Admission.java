package dev.fanout.tree;

import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.internal.AdmissionKind;
import dev.fanout.avro.internal.AdmissionMessage;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.config.TopologyNames;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The coordinator's side of the admission stage ({@code dev.fanout.admission}): which repositories have a
 * {@code max_in_flight} (the global table of repo-limits, read-only here), and the requests and releases it
 * sends for their runs. A run that asked is marked {@code quota_held} until it releases, so each request is
 * released exactly once whatever happens to the limit meanwhile.
 *
 * <p>Where a run releases: where its attempt ends ({@link Completion#runEnded}), where it starts waiting for a
 * retry's backoff ({@link Releases#awaitRetry}), and where its fan-out stops ({@link Stops}: skipped or timed
 * out in QUOTA_WAIT, which withdraws the request, or left running by a fan-out that timed out).
 */
final class Admission {

    private final TimestampedKeyValueStore<String, RepoLimits> limits;
    private final Outputs outputs;

    Admission(ProcessingContext context, Outputs outputs) {
        this.limits = context.getStateStore(TopologyNames.ADMISSION_LIMITS);
        this.outputs = outputs;
    }

    /** Whether runs of {@code repo} wait for a grant before their trigger. */
    boolean limited(String repo) {
        ValueAndTimestamp<RepoLimits> found = limits.get(repo);
        return found != null && found.value() != null;
    }

    /** The run asks for a slot for its current attempt. The caller saves it. */
    void request(RunNode run, long nowMs) {
        run.setQuotaHeld(true);
        outputs.admission(message(AdmissionKind.REQUEST, run.getRepo(), run.getRunId(), run.getTreeId(),
                run.getAttempt()), nowMs);
    }

    /** The run gives its slot back or stops waiting, if it asked for one. The caller saves it. */
    void releaseIfHeld(RunNode run, long nowMs) {
        if (run.getQuotaHeld()) {
            run.setQuotaHeld(false);
            release(run.getRepo(), run.getRunId(), run.getTreeId(), run.getAttempt(), nowMs);
        }
    }

    /** Gives back a slot granted to a run that no longer wants it. */
    void release(String repo, String runId, String treeId, int attempt, long nowMs) {
        outputs.admission(message(AdmissionKind.RELEASE, repo, runId, treeId, attempt), nowMs);
    }

    private static AdmissionMessage message(AdmissionKind kind, String repo, String runId, String treeId, int attempt) {
        return new AdmissionMessage(kind, repo, runId, treeId, attempt);
    }
}
