package dev.fanout.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.config.FanoutConfig;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers written with the SDK against the real pipeline: a KRaft broker, the embedded registry and
 * the topology. Each test uses repositories and artifacts of its own, so they share one pipeline.
 */
@ExtendWith(KafkaBrokerExtension.class)
class WorkerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path stateDir;

    private static LivePipeline fanout;

    @BeforeAll
    static void startPipeline(EmbeddedKafkaBroker broker) throws Exception {
        fanout = new LivePipeline(broker.bootstrapServers(), stateDir);
    }

    @AfterAll
    static void stopPipeline() {
        if (fanout != null) {
            fanout.close();
        }
    }

    @Test
    void aForeachChildGetsItsItemAndTheEventWithoutTheListAndReadsTheWholeEventOnRequest() throws Exception {
        // Given one child per module of a release, whose handler looks at both forms of the event
        fanout.subscribe(List.of(subscription("ev-b", "per-module", "ev-core:release", "build")
                .setForeach("event.payload.modules").setInputs(Map.of("module", "item")).build()));
        Map<Integer, String> carried = new ConcurrentHashMap<>();
        Map<Integer, String> whole = new ConcurrentHashMap<>();
        Map<Integer, List<String>> omitted = new ConcurrentHashMap<>();
        FanoutWorker worker = fanout.worker("whole-event").concurrency(2)
                .handle("ev-b", "build", run -> {
                    int index = run.itemIndex().orElseThrow();
                    carried.put(index, run.event().getPayload());
                    omitted.put(index, run.eventPayloadOmitted());
                    whole.put(index, run.wholeEvent().getPayload());
                    return RunResult.succeeded();
                })
                .build();

        try (worker) {
            worker.start();
            // When the release lists three modules
            String payload = "{\"channel\": \"stable\", \"modules\": [\"api\", \"core\", \"web\"]}";
            fanout.emit(event("t-whole", "ev-core:release", payload));

            // Then each child's trigger carries the payload without the list, and the SDK reads the whole event
            assertThat(fanout.awaitTreeDone("t-whole").getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(carried).hasSize(3).allSatisfy((index, text) ->
                    assertThat(text).isEqualTo("{\"channel\":\"stable\"}"));
            assertThat(omitted).hasSize(3).allSatisfy((index, pointers) -> assertThat(pointers).containsExactly("/modules"));
            assertThat(whole).hasSize(3).allSatisfy((index, text) -> assertThat(text).isEqualTo(payload));
        }
    }

    @Test
    void aThreeLevelTreeCompletesAndEmitAndWaitReturnsTheChildrenInItemOrder() throws Exception {
        // Given A (builds, then waits for an image fan-out), B (one child per item, emits a deployment)
        // and C (smokes each deployment)
        fanout.subscribe(List.of(
                subscription("l1-a", "on-release", "l1-core:release", "build").build(),
                subscription("l1-b", "per-item", "l1-a:image", "deploy").setForeach("event.payload.items")
                        .setInputs(Map.of("target", "item")).build(),
                subscription("l1-c", "smoke", "l1-b:deployment", "smoke")
                        .setInputs(Map.of("target", "event.payload.target")).build()));
        CountDownLatch lastItemDone = new CountDownLatch(1);
        Map<String, String> aOutput = new ConcurrentHashMap<>();
        List<String> smoked = new CopyOnWriteArrayList<>();
        FanoutWorker worker = fanout.worker("three-levels").concurrency(4)
                .handle("l1-a", "build", run -> {
                    FanOutDone images = run.emitAndWait(NestedEvent.builder("l1-a:image", "published", "1.0.0")
                            .payload("{\"items\": [\"x\", \"y\", \"z\"]}").build(), WAIT);
                    String outputs = images.getResults().stream().map(ChildResult::getOutput).toList().toString();
                    aOutput.put(run.runId(), outputs);
                    return RunResult.succeeded("{\"deployed\": " + outputs + "}");
                })
                .handle("l1-b", "deploy", run -> {
                    String target = run.input("target");
                    if (run.itemIndex().orElseThrow() == 0) {
                        // the first item finishes last, so the results' order is not the order of completion
                        assertThat(lastItemDone.await(30, TimeUnit.SECONDS)).isTrue();
                    }
                    run.emit(NestedEvent.builder("l1-b:deployment", "published", "1.0.0")
                            .payload("{\"target\": " + target + "}").build());
                    if (run.itemIndex().orElseThrow() == 2) {
                        lastItemDone.countDown();
                    }
                    return RunResult.succeeded("{\"target\": " + target + "}");
                })
                .handle("l1-c", "smoke", run -> {
                    smoked.add(run.input("target"));
                    return RunResult.succeeded();
                })
                .build();

        try (worker) {
            worker.start();
            // When the root event arrives
            fanout.emit(event("t-three", "l1-core:release", "{}"));

            // Then the tree finishes with every run of the three levels
            TreeDone done = fanout.awaitTreeDone("t-three");
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(done.getCounts().getTotal()).isEqualTo(7);
            assertThat(done.getCounts().getSucceeded()).isEqualTo(7);
            assertThat(smoked).containsExactlyInAnyOrder("\"x\"", "\"y\"", "\"z\"");
            // and A got B's results in item order although item 0 finished last
            assertThat(aOutput.values()).containsExactly(
                    "[{\"target\": \"x\"}, {\"target\": \"y\"}, {\"target\": \"z\"}]");
            Trigger a = single(fanout.triggers("t-three"), "l1-a/on-release");
            assertThat(fanout.fanOutDone("t-three")).filteredOn(d -> a.getRunId().equals(d.getParentRunId()))
                    .singleElement().satisfies(images -> {
                        assertThat(images.getEventId()).isEqualTo(a.getRunId() + ".e1");
                        assertThat(images.getResults()).extracting(ChildResult::getItemIndex).containsExactly(0, 1, 2);
                    });
            // and each run reported STARTED then SUCCEEDED, once
            List<RunStatus> statuses = fanout.statuses("t-three");
            assertThat(statuses).hasSize(14)
                    .allSatisfy(status -> assertThat(status.getAttempt()).isEqualTo(1));
            // and each final report listed the events its run emitted (emitAndWait's and emit's), STARTED none
            assertThat(statuses).filteredOn(s -> s.getStatus() == RunState.STARTED)
                    .allSatisfy(s -> assertThat(s.getEmitted()).isNull());
            assertThat(statuses).filteredOn(s -> s.getStatus() == RunState.SUCCEEDED).hasSize(7).allSatisfy(s -> {
                Trigger run = fanout.triggers("t-three").stream().filter(t -> t.getRunId().equals(s.getRunId()))
                        .findFirst().orElseThrow();
                if (run.getRepo().equals("l1-c")) {
                    assertThat(s.getEmitted()).as("l1-c emits nothing").isNull();
                } else {
                    assertThat(s.getEmitted()).as(run.getRepo()).containsExactly(s.getRunId() + ".e1");
                }
            });
        }
    }

    @Test
    void aRunThatEmitsAndReturnsListsEveryEventItPublishedSoTheTreeCountsTheirChildren() throws Exception {
        // Given em-a, which emits an image (em-c builds on it) and a notice it does not wait for (em-d reads it),
        // then returns
        fanout.subscribe(List.of(
                subscription("em-a", "on-release", "em-core:release", "build").build(),
                subscription("em-c", "on-image", "em-a:image", "deploy").build(),
                subscription("em-d", "on-notice", "em-a:notice", "announce").build()));
        try (FanoutWorker worker = fanout.worker("emit-and-return")
                .handle("em-a", "build", run -> {
                    run.emit(NestedEvent.builder("em-a:image", "published", "1.0.0").key("image").build());
                    run.emit(NestedEvent.builder("em-a:notice", "published", "1.0.0")
                            .fanOut(FanOutOptions.newBuilder().setWaitForChildren(false).build()).build());
                    return RunResult.succeeded();
                })
                .handle("em-c", "deploy", run -> RunResult.succeeded())
                .handle("em-d", "announce", run -> RunResult.succeeded())
                .build().start()) {

            // When the root event arrives
            fanout.emit(event("t-emit-return", "em-core:release", "{}"));

            // Then em-a's report lists both: the image it waits for and the notice it does not
            TreeDone done = fanout.awaitTreeDone("t-emit-return");
            Trigger a = single(fanout.triggers("t-emit-return"), "em-a/on-release");
            assertThat(fanout.statuses("t-emit-return"))
                    .filteredOn(s -> s.getRunId().equals(a.getRunId()) && s.getStatus() == RunState.SUCCEEDED)
                    .singleElement().satisfies(s -> assertThat(s.getEmitted()).hasSize(2)
                            .first().isEqualTo(a.getRunId() + ".image"));
            // And the tree counted em-c and em-d, however the report and the events raced
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(done.getCounts().getTotal()).isEqualTo(3);
            assertThat(done.getCounts().getSucceeded()).isEqualTo(3);
        }
    }

    @Test
    void aRedeliveredTriggerWhoseAttemptWasReportedIsNotRunAgain() throws Exception {
        // Given a worker that has run and reported a trigger
        fanout.subscribe(List.of(subscription("id-a", "on-release", "id-core:release", "build").build()));
        AtomicInteger runs = new AtomicInteger();
        try (FanoutWorker worker = fanout.worker("idempotent")
                .handle("id-a", "build", run -> {
                    runs.incrementAndGet();
                    return RunResult.succeeded();
                }).build().start()) {
            fanout.emit(event("t-idem", "id-core:release", "{}"));
            fanout.awaitTreeDone("t-idem");

            // When the same trigger record is delivered again
            ConsumerRecord<byte[], byte[]> trigger = fanout.readRaw(fanout.topics().triggers().name()).stream()
                    .filter(r -> new String(r.key()).equals("id-a")).findFirst().orElseThrow();
            RecordMetadata again = fanout.sendRaw(trigger.topic(), "id-a", trigger.value());

            // Then the worker consumes and commits it without running the handler or reporting again
            await().atMost(LivePipeline.PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> committedPast(worker.groupId(), again));
            assertThat(runs).hasValue(1);
            assertThat(fanout.statuses("t-idem")).extracting(RunStatus::getStatus)
                    .containsExactly(RunState.STARTED, RunState.SUCCEEDED);
        }
    }

    @Test
    void aFlakyHandlerFailsOnceAndSucceedsOnItsRetry() throws Exception {
        // Given a subscription with two attempts and a handler that throws on the first
        fanout.subscribe(List.of(subscription("fl-a", "on-release", "fl-core:release", "build")
                .setRetry(new RetryPolicy(2, 200L, 1.0)).build()));
        try (FanoutWorker worker = fanout.worker("flaky")
                .handle("fl-a", "build", run -> {
                    if (run.attempt() == 1) {
                        throw new IllegalStateException("registry is warming up");
                    }
                    return RunResult.succeeded("{\"attempt\": " + run.attempt() + "}");
                }).build().start()) {

            // When the event arrives
            fanout.emit(event("t-flaky", "fl-core:release", "{}"));

            // Then the tree succeeds after one retry
            TreeDone done = fanout.awaitTreeDone("t-flaky");
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(done.getCounts().getRetries()).isEqualTo(1);
            List<RunStatus> statuses = fanout.statuses("t-flaky");
            assertThat(statuses).extracting(RunStatus::getAttempt, RunStatus::getStatus).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(1, RunState.STARTED),
                    org.assertj.core.groups.Tuple.tuple(1, RunState.FAILED),
                    org.assertj.core.groups.Tuple.tuple(2, RunState.STARTED),
                    org.assertj.core.groups.Tuple.tuple(2, RunState.SUCCEEDED));
            assertThat(statuses.get(1).getRetryable()).isTrue();
            assertThat(statuses.get(1).getError()).contains("IllegalStateException").contains("registry is warming up");
            assertThat(statuses.get(3).getOutput()).isEqualTo("{\"attempt\": 2}");
        }
    }

    @Test
    void aNonRetryableErrorFailsTheRunAtOnceWithAttemptsLeft() throws Exception {
        fanout.subscribe(List.of(subscription("nr-a", "on-release", "nr-core:release", "build")
                .setRetry(new RetryPolicy(3, 100L, 1.0)).build()));
        try (FanoutWorker worker = fanout.worker("non-retryable")
                .handle("nr-a", "build", run -> {
                    throw new NonRetryableException("version 9.9.9 does not exist");
                }).build().start()) {

            fanout.emit(event("t-nonretry", "nr-core:release", "{}"));

            TreeDone done = fanout.awaitTreeDone("t-nonretry");
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
            assertThat(done.getCounts().getRetries()).isZero();
            assertThat(fanout.statuses("t-nonretry")).last().satisfies(status -> {
                assertThat(status.getStatus()).isEqualTo(RunState.FAILED);
                assertThat(status.getRetryable()).isFalse();
                assertThat(status.getError()).isEqualTo("version 9.9.9 does not exist");
            });
        }
    }

    @Test
    void aRetriedAttemptThatEmitsAgainStartsNoSecondFanOutAndGetsTheFirstOnesResult() throws Exception {
        // Given a parent that waits for a child fan-out, then fails its first attempt
        fanout.subscribe(List.of(
                subscription("re-a", "on-release", "re-core:release", "build")
                        .setRetry(new RetryPolicy(2, 200L, 1.0)).build(),
                subscription("re-b", "on-image", "re-a:image", "deploy").build()));
        AtomicInteger deploys = new AtomicInteger();
        List<String> seenByAttempt2 = new CopyOnWriteArrayList<>();
        try (FanoutWorker worker = fanout.worker("re-emit")
                .handle("re-a", "build", run -> {
                    FanOutDone done = run.emitAndWait(NestedEvent.builder("re-a:image", "published", "1.0.0").build(), WAIT);
                    if (run.attempt() == 1) {
                        return RunResult.failed("lost the connection after deploying");
                    }
                    seenByAttempt2.add(done.getFanOutId() + " " + done.getResults().get(0).getOutput());
                    return RunResult.succeeded();
                })
                .handle("re-b", "deploy", run -> RunResult.succeeded("{\"deploy\": " + deploys.incrementAndGet() + "}"))
                .build().start()) {

            // When the tree runs: attempt 1 emits and waits, fails; attempt 2 emits the same event again
            fanout.emit(event("t-reemit", "re-core:release", "{}"));

            // Then the child ran once, and attempt 2 got the first fan-out's FanOutDone
            TreeDone done = fanout.awaitTreeDone("t-reemit");
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(deploys).hasValue(1);
            Trigger a = fanout.triggers("t-reemit").stream().filter(t -> t.getRepo().equals("re-a")).findFirst().orElseThrow();
            assertThat(seenByAttempt2).containsExactly(a.getRunId() + ".e1 {\"deploy\": 1}");
            assertThat(fanout.triggers("t-reemit")).filteredOn(t -> t.getRepo().equals("re-b")).hasSize(1);
        }
    }

    @Test
    void theWorkerRunsNoMoreThanItsConcurrencyAtOnce() throws Exception {
        fanout.subscribe(List.of(subscription("bp-a", "each", "bp-core:release", "work")
                .setForeach("event.payload.items").build()));
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch twoAtOnce = new CountDownLatch(2);
        try (FanoutWorker worker = fanout.worker("bounded").concurrency(2)
                .handle("bp-a", "work", run -> {
                    most.accumulateAndGet(now.incrementAndGet(), Math::max);
                    twoAtOnce.countDown();
                    // hold the slot until the pool is full once, so that the cap is really reached
                    twoAtOnce.await(30, TimeUnit.SECONDS);
                    now.decrementAndGet();
                    return RunResult.succeeded();
                }).build().start()) {

            fanout.emit(event("t-bounded", "bp-core:release", "{\"items\": [1, 2, 3, 4, 5, 6, 7, 8]}"));

            TreeDone done = fanout.awaitTreeDone("t-bounded");
            assertThat(done.getCounts().getSucceeded()).isEqualTo(8);
            assertThat(most).hasValue(2);
        }
    }

    @Test
    void aWorkerThatCrashesMidRunIsReplacedByAnotherOfItsGroup() throws Exception {
        // Given two workers of one group, and a handler that blocks on the first worker it reaches
        fanout.subscribe(List.of(subscription("cr-a", "on-release", "cr-core:release", "build").build()));
        CountDownLatch firstStarted = new CountDownLatch(1);
        Map<String, String> ranOn = new ConcurrentHashMap<>();
        CountDownLatch never = new CountDownLatch(1);
        FanoutWorker one = crashWorker("one", firstStarted, ranOn, never);
        FanoutWorker two = crashWorker("two", firstStarted, ranOn, never);
        try (one; two) {
            one.start();
            two.start();
            fanout.emit(event("t-crash", "cr-core:release", "{}"));
            assertThat(firstStarted.await(60, TimeUnit.SECONDS)).isTrue();
            String first = ranOn.get("first");

            // When the worker running it dies without reporting or committing
            (first.equals("one") ? one : two).halt();

            // Then the trigger is delivered again to the other worker, which completes the run
            TreeDone done = fanout.awaitTreeDone("t-crash");
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(ranOn.get("completed")).isNotEqualTo(first);
            assertThat(fanout.statuses("t-crash")).extracting(RunStatus::getStatus)
                    .containsExactly(RunState.STARTED, RunState.STARTED, RunState.SUCCEEDED);
        }
    }

    @Test
    void closingLetsARunInProgressFinishWithinTheGracePeriod() throws Exception {
        fanout.subscribe(List.of(subscription("gr-a", "on-release", "gr-core:release", "build").build()));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FanoutWorker worker = fanout.worker("graceful").shutdownGracePeriod(Duration.ofSeconds(60))
                .handle("gr-a", "build", run -> {
                    started.countDown();
                    release.await();
                    return RunResult.succeeded("{\"finished\": true}");
                }).build().start();
        fanout.emit(event("t-grace", "gr-core:release", "{}"));
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();

        // When the worker is closed while the run is in progress, and the run then finishes
        Thread closing = new Thread(worker::close);
        closing.start();
        await().atMost(WAIT).until(() -> closing.getState() == Thread.State.WAITING);
        release.countDown();
        closing.join(WAIT.toMillis());

        // Then its SUCCEEDED is reported before the worker is gone
        assertThat(closing.isAlive()).isFalse();
        assertThat(fanout.statuses("t-grace")).extracting(RunStatus::getStatus)
                .containsExactly(RunState.STARTED, RunState.SUCCEEDED);
        assertThat(fanout.awaitTreeDone("t-grace").getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
    }

    @Test
    void aRunStillGoingAtTheEndOfTheGracePeriodIsReportedFailedAndRetriedElsewhere() throws Exception {
        // Given a run that does not finish, on a worker with a short grace period
        fanout.subscribe(List.of(subscription("gx-a", "on-release", "gx-core:release", "build")
                .setRetry(new RetryPolicy(2, 100L, 1.0)).build()));
        CountDownLatch started = new CountDownLatch(1);
        FanoutWorker stuck = fanout.worker("grace-expiry").shutdownGracePeriod(Duration.ofMillis(300))
                .handle("gx-a", "build", run -> {
                    started.countDown();
                    new CountDownLatch(1).await();
                    return RunResult.succeeded();
                }).build().start();
        fanout.emit(event("t-expiry", "gx-core:release", "{}"));
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();

        // When it is closed, and another worker of the group takes over
        stuck.close();
        List<RunStatus> afterClose = fanout.statuses("t-expiry");
        try (FanoutWorker healthy = fanout.worker("grace-expiry")
                .handle("gx-a", "build", run -> RunResult.succeeded("{\"attempt\": " + run.attempt() + "}"))
                .build().start()) {

            // Then the stuck attempt was reported FAILED, retryable, and attempt 2 succeeds
            assertThat(afterClose).extracting(RunStatus::getStatus).containsExactly(RunState.STARTED, RunState.FAILED);
            assertThat(afterClose.get(1).getRetryable()).isTrue();
            assertThat(afterClose.get(1).getError()).contains("shut down before the run finished");
            TreeDone done = fanout.awaitTreeDone("t-expiry");
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(fanout.statuses("t-expiry")).last().extracting(RunStatus::getOutput).isEqualTo("{\"attempt\": 2}");
        }
    }

    @Test
    void theExamplesOfTheWorkersDocRunAsTheDocSays() throws Exception {
        // Given the doc's subscriptions: app-a releases on lib-core, app-b deploys each target of app-a's bundle
        fanout.subscribe(List.of(
                subscription("app-a", "on-core", "lib-core:release", "release").build(),
                subscription("app-b", "per-target", "app-a:bundle", "deploy").setForeach("event.payload.targets")
                        .setInputs(Map.of("target", "item")).build()));
        try (FanoutWorker appB = WorkersDocExamples.appB(fanout.bootstrapServers(), fanout.registryUrl(), fanout.prefix());
                FanoutWorker appA = WorkersDocExamples.appA(fanout.bootstrapServers(), fanout.registryUrl(), fanout.prefix())) {

            // When lib-core publishes
            fanout.emit(event("t-docs", "lib-core:release", "{}"));

            // Then app-a's run succeeds with app-b's outputs in target order
            assertThat(fanout.awaitTreeDone("t-docs").getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(fanout.statuses("t-docs")).filteredOn(s -> s.getStatus() == RunState.SUCCEEDED)
                    .extracting(RunStatus::getOutput).contains("{\"deployments\": ["
                            + "{\"url\": \"https://app-b.example/\", \"target\": \"eu-west\"}, "
                            + "{\"url\": \"https://app-b.example/\", \"target\": \"us-east\"}]}");
        }
    }

    @Test
    void aTriggerForAWorkflowOfTheRepoWithoutAHandlerFailsAtOnceSayingSo() throws Exception {
        fanout.subscribe(List.of(subscription("uw-a", "on-release", "uw-core:release", "package")
                .setRetry(new RetryPolicy(3, 100L, 1.0)).build()));
        try (FanoutWorker worker = fanout.worker("unknown-workflow")
                .handle("uw-a", "build", run -> RunResult.succeeded()).build().start()) {

            fanout.emit(event("t-unknown", "uw-core:release", "{}"));

            assertThat(fanout.awaitTreeDone("t-unknown").getStatus()).isEqualTo(CompletionStatus.FAILED);
            assertThat(fanout.statuses("t-unknown")).hasSize(2).last().satisfies(status -> {
                assertThat(status.getStatus()).isEqualTo(RunState.FAILED);
                assertThat(status.getRetryable()).isFalse();
                assertThat(status.getError()).contains("no handler for workflow 'package' of repo uw-a")
                        .contains("[build]");
            });
        }
    }

    @Test
    void emitAndWaitGivesUpAfterItsTimeoutAndTheRunFailsRetryably() throws Exception {
        // Given a child subscription no worker serves, so its fan-out never ends
        fanout.subscribe(List.of(
                subscription("to-a", "on-release", "to-core:release", "build").build(),
                subscription("to-unserved", "on-image", "to-a:image", "deploy").build()));
        try (FanoutWorker worker = fanout.worker("wait-timeout")
                .handle("to-a", "build", run -> {
                    run.emitAndWait(NestedEvent.builder("to-a:image", "published", "1.0.0").build(), Duration.ofSeconds(2));
                    return RunResult.succeeded();
                }).build().start()) {

            fanout.emit(event("t-wait-timeout", "to-core:release", "{}"));

            // Then the parent's run is reported FAILED, retryable, naming the event and the timeout
            RunStatus failed = await().atMost(LivePipeline.PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> fanout.statuses("t-wait-timeout").stream()
                            .filter(s -> s.getStatus() == RunState.FAILED).findFirst(), java.util.Optional::isPresent)
                    .orElseThrow();
            assertThat(failed.getRetryable()).isTrue();
            assertThat(failed.getError()).contains("FanOutWaitTimeoutException")
                    .contains(failed.getRunId() + ".e1 did not finish within PT2S");
            // And it lists the event it published and gave up waiting for: the run still waits for its fan-out
            assertThat(failed.getEmitted()).containsExactly(failed.getRunId() + ".e1");
        }
    }

    @Test
    void startingAgainstAnInstallationWithoutTheTopicsSaysWhichAreMissing() {
        FanoutWorker worker = FanoutWorker.builder().bootstrapServers(fanout.bootstrapServers())
                .schemaRegistryUrl(fanout.registryUrl()).groupId("no-topics").topicPrefix("nowhere.")
                .handle("app-b", "deploy", run -> RunResult.succeeded()).build();
        try (worker) {
            org.assertj.core.api.Assertions.assertThatThrownBy(worker::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("nowhere.triggers")
                    .hasMessageContaining("fanout topics create");
        }
    }

    @Test
    void aWorkerThatDiesMidRunIsRetriedOnceItsHeartbeatsStop() throws Exception {
        // Given runs that must report every 3 s, retried once at the next punctuation, and a handler that
        // reports progress, then works on and on
        long heartbeatTimeoutMs = 3_000;
        fanout.subscribe(List.of(subscription("hb-a", "on-release", "hb-core:release", "build")
                .setHeartbeatTimeoutMs(heartbeatTimeoutMs).setRetry(new RetryPolicy(2, 1L, 1.0)).build()));
        CountDownLatch progressed = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        FanoutWorker dying = fanout.worker("heartbeat").handle("hb-a", "build", run -> {
            run.progress("compiling", "{\"step\": 1}");
            progressed.countDown();
            never.await();
            return RunResult.succeeded();
        }).build();
        try (dying) {
            dying.start();
            fanout.emit(event("t-heartbeat", "hb-core:release", "{}"));
            assertThat(progressed.await(60, TimeUnit.SECONDS)).isTrue();
            await().atMost(LivePipeline.PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> startedOf("t-heartbeat", 1).size() >= 3); // the first, the progress, a heartbeat

            // When its worker dies mid-run, without a report
            dying.halt();
        }

        // Then attempt 2 is triggered no later than the timeout plus two punctuations (the failure's, the
        // retry's) after the last report of attempt 1 was sent, with a second for the broker's round trips
        ConsumerRecord<byte[], byte[]> retry = await().atMost(LivePipeline.PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> triggerRecord("t-heartbeat", 2), java.util.Optional::isPresent).orElseThrow();
        List<ConsumerRecord<byte[], byte[]>> attemptOne = startedOf("t-heartbeat", 1);
        long lastReportMs = attemptOne.get(attemptOne.size() - 1).timestamp();
        long timersIntervalMs = (Long) FanoutConfig.configDef().defaultValues().get(FanoutConfig.TIMERS_INTERVAL_MS);
        long quietMs = retry.timestamp() - lastReportMs;
        assertThat(quietMs).as("from the last report of attempt 1 to the trigger of attempt 2")
                .isBetween(heartbeatTimeoutMs, heartbeatTimeoutMs + 2 * timersIntervalMs + 1 + 1_000);
        assertThat(attemptOne).extracting(r -> status(r).getProgress()).filteredOn(java.util.Objects::nonNull)
                .extracting(p -> p.getMessage() + " " + p.getDetails()).containsExactly("compiling {\"step\": 1}");

        // And a worker in its place completes the run with attempt 2
        try (FanoutWorker replacement = fanout.worker("heartbeat")
                .handle("hb-a", "build", run -> RunResult.succeeded("{\"attempt\": " + run.attempt() + "}"))
                .build().start()) {
            TreeDone done = fanout.awaitTreeDone("t-heartbeat");
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(done.getCounts().getRetries()).isEqualTo(1);
        }
    }

    @Test
    void aHandlerThatRunsLongerThanTheHeartbeatTimeoutIsKeptAliveByTheWorkersHeartbeats() throws Exception {
        // Given runs that must report every 1.5 s, and a handler that runs until released
        fanout.subscribe(List.of(subscription("hl-a", "on-release", "hl-core:release", "build")
                .setHeartbeatTimeoutMs(1_500L).setRetry(new RetryPolicy(3, 1L, 1.0)).build()));
        CountDownLatch release = new CountDownLatch(1);
        try (FanoutWorker worker = fanout.worker("alive").handle("hl-a", "build", run -> {
            release.await();
            return RunResult.succeeded();
        }).build().start()) {
            fanout.emit(event("t-alive", "hl-core:release", "{}"));

            // When it runs past the timeout twice over (the worker heartbeats every 0.5 s meanwhile)
            await().atMost(LivePipeline.PATIENCE).pollInterval(Duration.ofMillis(250))
                    .until(() -> startedOf("t-alive", 1).size() >= 7);
            release.countDown();

            // Then the run was never retried and succeeds with its first attempt
            TreeDone done = fanout.awaitTreeDone("t-alive");
            assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
            assertThat(done.getCounts().getRetries()).isZero();
            assertThat(fanout.triggers("t-alive")).extracting(Trigger::getAttempt).containsExactly(1);
        }
    }

    /** The STARTED reports of an attempt of the tree's run, as records (their timestamps are when they were sent). */
    private static List<ConsumerRecord<byte[], byte[]>> startedOf(String treeId, int attempt) {
        return fanout.readRaw(fanout.topics().runStatus().name()).stream().filter(r -> {
            RunStatus status = status(r);
            return status.getTreeId().equals(treeId) && status.getAttempt() == attempt
                    && status.getStatus() == RunState.STARTED;
        }).toList();
    }

    private static java.util.Optional<ConsumerRecord<byte[], byte[]>> triggerRecord(String treeId, int attempt) {
        String topic = fanout.topics().triggers().name();
        return fanout.readRaw(topic).stream().filter(r -> {
            Trigger trigger = fanout.topics().triggers().valueSerde().deserializer().deserialize(topic, r.value());
            return trigger.getTreeId().equals(treeId) && trigger.getAttempt() == attempt;
        }).findFirst();
    }

    private static RunStatus status(ConsumerRecord<byte[], byte[]> record) {
        return fanout.topics().runStatus().valueSerde().deserializer().deserialize(record.topic(), record.value());
    }

    private static FanoutWorker crashWorker(String name, CountDownLatch firstStarted, Map<String, String> ranOn,
            CountDownLatch never) {
        return fanout.worker("crash").handle("cr-a", "build", run -> {
            if (ranOn.putIfAbsent("first", name) == null) {
                firstStarted.countDown();
                never.await();
            }
            ranOn.put("completed", name);
            return RunResult.succeeded();
        }).build();
    }

    private static boolean committedPast(String groupId, RecordMetadata record) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", fanout.bootstrapServers()))) {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(record.topic(), record.partition()));
            return committed != null && committed.offset() > record.offset();
        }
    }

    private static Trigger single(List<Trigger> triggers, String subscriptionId) {
        List<Trigger> found = triggers.stream().filter(t -> t.getSubscriptionId().equals(subscriptionId)).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    static Subscription.Builder subscription(String repo, String name, String artifact, String workflow) {
        return Subscription.newBuilder().setId(repo + "/" + name).setRepo(repo).setArtifact(artifact)
                .setEvents(List.of("published")).setSchemaVersion("^1.0.0").setWorkflow(workflow).setInputs(Map.of());
    }

    static ArtifactEvent event(String eventId, String artifact, String payload) {
        return ArtifactEvent.newBuilder().setEventId(eventId).setArtifact(artifact).setEventType("published")
                .setSchemaVersion("1.0.0").setPayload(payload).setProducedAt(Instant.now())
                .setSourceRepo(artifact.substring(0, artifact.indexOf(':'))).build();
    }
}
