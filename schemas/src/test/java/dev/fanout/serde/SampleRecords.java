package dev.fanout.serde;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Cancellation;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompensationOf;
import dev.fanout.avro.CompensationResult;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.DependencyCondition;
import dev.fanout.avro.DependencyMode;
import dev.fanout.avro.DependsOn;
import dev.fanout.avro.EventOrigin;
import dev.fanout.avro.Failure;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.ParentRef;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.RunProgress;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.TreeProgress;
import dev.fanout.avro.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * One realistic instance of every record type of the wire contract, with every optional field set so
 * that a round trip exercises unions, maps, arrays, enums and timestamps. Times are whole
 * milliseconds: timestamp-millis keeps no more.
 */
final class SampleRecords {

    static final Instant PRODUCED_AT = Instant.parse("2025-03-14T09:26:53.589Z");

    private SampleRecords() {
    }

    static List<SpecificRecord> all() {
        return List.of(parentRef(), fanOutOptions(), artifactEvent(), retryPolicy(), dependsOn(), subscription(),
                trigger(), runStatus(), runProgress(), counts(), failure(), childResult(), fanOutDone(), treeDone(), treeProgress(),
                compensationOf(), compensationResult(), cancellation(), treeCancel(), runCancellation(), repoLimits(), eventOrigin());
    }

    static ParentRef parentRef() {
        return new ParentRef("evt-2025-03-14-0001", "run-7f3a9c");
    }

    static FanOutOptions fanOutOptions() {
        return FanOutOptions.newBuilder()
                .setWaitForChildren(true)
                .setTimeoutMs(3_600_000L)
                .setConcurrencyLimit(8)
                .setToleratedFailures(2)
                .build();
    }

    static ArtifactEvent artifactEvent() {
        return ArtifactEvent.newBuilder()
                .setEventId("evt-2025-03-14-0002")
                .setArtifact("acme/libcore:libcore-jar")
                .setEventType("published")
                .setSchemaVersion("1.4.0")
                .setPayload("{\"version\":\"2.7.1\",\"sha256\":\"9f86d081884c7d65\",\"env\":\"prod\"}")
                .setProducedAt(PRODUCED_AT)
                .setSourceRepo("acme/libcore")
                .setParent(parentRef())
                .setFanOut(fanOutOptions())
                .setHeaders(Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .build();
    }

    static RetryPolicy retryPolicy() {
        return new RetryPolicy(3, 2_000L, 2.0);
    }

    static DependsOn dependsOn() {
        return new DependsOn(List.of("acme/app-a/on-release", "acme/app-b/on-release"), DependencyMode.ANY, DependencyCondition.SUCCEEDED);
    }

    static Subscription subscription() {
        return Subscription.newBuilder()
                .setId("acme/app-c/on-libcore")
                .setRepo("acme/app-c")
                .setArtifact("acme/libcore:libcore-jar")
                .setEvents(List.of("published", "promoted"))
                .setSchemaVersion("^1.2.0")
                .setFilter("event.payload.env == 'prod'")
                .setWorkflow("bump-libcore")
                .setInputs(Map.of("version", "event.payload.version"))
                .setForeach("event.payload.modules")
                .setRetry(retryPolicy())
                .setTimeoutMs(900_000L)
                .setDependsOn(dependsOn())
                .setCompensateWorkflow("revert-libcore-bump")
                .setHeartbeatTimeoutMs(60_000L)
                .build();
    }

    static Trigger trigger() {
        return Trigger.newBuilder()
                .setRunId("run-1b2c3d")
                .setTreeId("evt-2025-03-14-0002")
                .setParentRunId("run-7f3a9c")
                .setFanOutId("fo-44aa")
                .setSubscriptionId("acme/app-c/on-libcore")
                .setRepo("acme/app-c")
                .setWorkflow("bump-libcore")
                .setInputs(Map.of("version", "\"2.7.1\""))
                .setItemIndex(1)
                .setItem("{\"module\":\"core-api\"}")
                .setAttempt(2)
                .setDeadline(PRODUCED_AT.plusSeconds(900))
                .setDepth(2)
                .setPath(List.of("acme/libcore/release", "acme/app-b/on-release"))
                .setEvent(artifactEvent())
                .setHeartbeatTimeoutMs(60_000L)
                .setCompensation(compensationOf())
                .setEventPayloadOmitted(List.of("/modules"))
                .setEventOrigin(eventOrigin())
                .build();
    }

    static EventOrigin eventOrigin() {
        return new EventOrigin("fanout.artifact-events", 2, 1_204L);
    }

    static CompensationOf compensationOf() {
        return new CompensationOf("run-0a1b2c", "deploy", "{\"release\":\"r-17\"}", "fan-out FAILED: 1 failure, 0 tolerated");
    }

    static CompensationResult compensationResult() {
        return new CompensationResult("run-5d6e7f", "rollback", ChildStatus.FAILED, "registry unreachable", 3);
    }

    static Cancellation cancellation() {
        return new Cancellation("release withdrawn", "alice", PRODUCED_AT.plusSeconds(60));
    }

    static TreeCancel treeCancel() {
        return new TreeCancel("evt-2025-03-14-0002", "release withdrawn", "alice", PRODUCED_AT.plusSeconds(59));
    }

    static RunCancellation runCancellation() {
        return new RunCancellation("run-1b2c3d", "evt-2025-03-14-0002", "acme/app-c", 2, "release withdrawn",
                PRODUCED_AT.plusSeconds(60));
    }

    static RepoLimits repoLimits() {
        return new RepoLimits("acme/deployer", 3);
    }

    static RunStatus runStatus() {
        return RunStatus.newBuilder()
                .setRunId("run-1b2c3d")
                .setTreeId("evt-2025-03-14-0002")
                .setAttempt(2)
                .setStatus(RunState.FAILED)
                .setOutput("{\"tests\":412}")
                .setError("3 tests failed in core-api")
                .setRetryable(false)
                .setReportedAt(PRODUCED_AT.plusSeconds(300))
                .build();
    }

    /** A STARTED report's progress (a sample on its own: the FAILED {@link #runStatus()} has none). */
    static RunProgress runProgress() {
        return RunProgress.newBuilder().setMessage("ran 200 of 412 tests").setDetails("{\"done\":200,\"of\":412}").build();
    }

    static Counts counts() {
        return new Counts(12L, 9L, 1L, 1L, 1L, 3L, 2L, 1L);
    }

    static Failure failure() {
        return new Failure("run-1b2c3d", "acme/app-c/on-libcore", 1, 2, "3 tests failed in core-api");
    }

    static ChildResult childResult() {
        return ChildResult.newBuilder()
                .setRunId("run-9e8d7c")
                .setSubscriptionId("acme/app-d/on-libcore")
                .setItemIndex(0)
                .setStatus(ChildStatus.SKIPPED)
                .setOutput("{}")
                .setError("not run")
                .setReason("cycle")
                .setAttempts(1)
                .setCompensation(compensationResult())
                .build();
    }

    static FanOutDone fanOutDone() {
        return FanOutDone.newBuilder()
                .setFanOutId("fo-44aa")
                .setTreeId("evt-2025-03-14-0002")
                .setParentRunId("run-7f3a9c")
                .setEventId("evt-2025-03-14-0002")
                .setStatus(CompletionStatus.FAILED)
                .setCounts(counts())
                .setStartedAt(PRODUCED_AT)
                .setFinishedAt(PRODUCED_AT.plusSeconds(600))
                .setFailures(List.of(failure()))
                .setResults(List.of(childResult()))
                .setResultsTruncated(true)
                .build();
    }

    static TreeDone treeDone() {
        return TreeDone.newBuilder()
                .setTreeId("evt-2025-03-14-0002")
                .setArtifact("acme/libcore:libcore-jar")
                .setStatus(CompletionStatus.TIMED_OUT)
                .setCounts(counts())
                .setStartedAt(PRODUCED_AT)
                .setFinishedAt(PRODUCED_AT.plusSeconds(3_600))
                .setFailures(List.of(failure()))
                .setCancelled(cancellation())
                .build();
    }

    static TreeProgress treeProgress() {
        return TreeProgress.newBuilder()
                .setTreeId("evt-2025-03-14-0002")
                .setCounts(counts())
                .setRunning(4L)
                .setQueued(7L)
                .setDone(false)
                .setUpdatedAt(PRODUCED_AT.plusSeconds(120))
                .build();
    }
}
