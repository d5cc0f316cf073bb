package dev.fanout.tree;

import static dev.fanout.app.Samples.childEvent;
import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.failed;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code concurrency_limit} and {@code wait_for_children}. */
class ConcurrencyLimitTest {

    private static final String SIX_TARGETS = "{\"targets\":[\"t0\",\"t1\",\"t2\",\"t3\",\"t4\",\"t5\"]}";

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir);
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void inFlightChildrenNeverExceedTheLimitAndTheRestAreReleasedInOrder() {
        // Given an event over six targets with at most two children in flight
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
        fanout.emit(event("e1").setPayload(SIX_TARGETS)
                .setFanOut(FanOutOptions.newBuilder().setConcurrencyLimit(2).build()).build());

        // When a worker always finishes the oldest run in flight (one of them failing), until none is left
        Deque<Trigger> inFlight = new ArrayDeque<>(fanout.triggers());
        List<Integer> released = new ArrayList<>();
        int maxInFlight = inFlight.size();
        while (!inFlight.isEmpty()) {
            Trigger oldest = inFlight.removeFirst();
            released.add(oldest.getItemIndex());
            fanout.report(oldest.getItemIndex() == 3 ? failed(fanout, oldest, "boom", false)
                    : succeeded(fanout, oldest, "{}"));
            inFlight.addAll(fanout.triggers());
            maxInFlight = Math.max(maxInFlight, inFlight.size());
        }

        // Then, from the trigger and status streams, never more than two ran at once, all ran, in order
        assertThat(maxInFlight).isEqualTo(2);
        assertThat(released).containsExactly(0, 1, 2, 3, 4, 5);
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getCounts().getTotal()).isEqualTo(6);
        assertThat(done.getCounts().getSucceeded()).isEqualTo(5);
        assertThat(done.getCounts().getFailed()).isEqualTo(1);
    }

    @Test
    void onlyTheLimitIsTriggeredWhileNothingFinishes() {
        // When an event over six targets with a limit of three arrives
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
        fanout.emit(event("e1").setPayload(SIX_TARGETS)
                .setFanOut(FanOutOptions.newBuilder().setConcurrencyLimit(3).build()).build());

        // Then three are triggered, the first three, and the rest wait
        assertThat(fanout.triggers()).extracting(Trigger::getItemIndex).containsExactly(0, 1, 2);
        assertThat(fanout.fanOutDone()).isEmpty();
    }

    @Test
    void anEmitterThatDoesNotWaitGetsItsFanOutDoneAtOnceWhileTheTreeWaitsForTheChildren() {
        // Given app-a's run, and app-c subscribed to what it emits
        fanout.subscribe(subscription("app-a", "on-release").build())
                .subscribe(subscription("app-c", "on-app-a").setArtifact("app-a:image").build());
        fanout.emit(event("e1").build());
        Trigger a = fanout.triggers().get(0);

        // When app-a emits an event without waiting for its children
        fanout.emit(childEvent("e2", "app-a:image", "e1", a.getRunId())
                .setFanOut(FanOutOptions.newBuilder().setWaitForChildren(false).build()).build());
        Trigger c = fanout.triggers().get(0);

        // Then its FanOutDone is there at once, keyed by app-a's run, before app-c has finished
        List<TestRecord<String, FanOutDone>> early = fanout.fanOutDone();
        assertThat(early).hasSize(1);
        assertThat(early.get(0).key()).isEqualTo(a.getRunId());
        assertThat(early.get(0).value().getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(early.get(0).value().getCounts().getTotal()).isEqualTo(1);

        // When app-a succeeds
        fanout.report(succeeded(fanout, a, "{}"));

        // Then the root fan-out is done, as app-a does not wait, but the tree still waits for app-c
        assertThat(fanout.fanOutDone()).extracting(r -> r.value().getFanOutId()).containsExactly("e1");
        assertThat(fanout.treeDone()).isEmpty();

        // When app-c succeeds
        fanout.report(succeeded(fanout, c, "{}"));

        // Then no second FanOutDone is sent for the emitter, and the tree is done, counting app-c
        assertThat(fanout.fanOutDone()).isEmpty();
        assertThat(fanout.treeDone()).extracting(r -> r.value().getCounts().getSucceeded()).containsExactly(2L);
    }
}
