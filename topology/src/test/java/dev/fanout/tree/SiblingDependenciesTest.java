package dev.fanout.tree;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static dev.fanout.tree.Reports.failed;
import static dev.fanout.tree.Reports.succeeded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.ChildResult;
import dev.fanout.avro.ChildStatus;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.DependencyCondition;
import dev.fanout.avro.DependencyMode;
import dev.fanout.avro.DependsOn;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code depends_on} among the children of one fan-out: the table of docs/trees.md, on the production topology. */
class SiblingDependenciesTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;
    /** Triggers written and not yet reported on, by subscription id (the last attempt). */
    private final Map<String, Trigger> pending = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir);
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void aDiamondReleasesEachChildOnceEverythingItDependsOnSucceeded() {
        // Given A; B and C after A; D after B and C
        subscribe("a", null);
        subscribe("b", all("app-a/a"));
        subscribe("c", all("app-a/a"));
        subscribe("d", all("app-b/b", "app-c/c"));

        // When the event comes, Then only A runs
        fanout.emit(event("e1").build());
        assertThat(released()).containsExactly("app-a/a");

        // When A succeeds, Then B and C run, not D
        succeed("app-a/a");
        assertThat(released()).containsExactlyInAnyOrder("app-b/b", "app-c/c");

        // When B succeeds, D still waits for C; when C succeeds, D runs
        succeed("app-b/b");
        assertThat(released()).isEmpty();
        succeed("app-c/c");
        assertThat(released()).containsExactly("app-d/d");

        // And the fan-out succeeds once D does
        succeed("app-d/d");
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
        assertThat(done.getCounts().getSucceeded()).isEqualTo(4);
    }

    @Test
    void anyReleasesOnTheFirstSuccess() {
        subscribe("a", null);
        subscribe("b", null);
        subscribe("c", new DependsOn(List.of("app-a/a", "app-b/b"), DependencyMode.ANY, DependencyCondition.SUCCEEDED));
        fanout.emit(event("e1").build());
        assertThat(released()).containsExactlyInAnyOrder("app-a/a", "app-b/b");

        fail("app-a/a");
        assertThat(released()).isEmpty();
        succeed("app-b/b");

        assertThat(released()).containsExactly("app-c/c");
    }

    @Test
    void allSkipsOnAFailureAndTheSkipPropagatesToItsDependents() {
        // Given B after A, C after B
        subscribe("a", null);
        subscribe("b", all("app-a/a"));
        subscribe("c", all("app-b/b"));
        fanout.emit(event("e1").build());
        released();

        // When A fails for good
        fail("app-a/a");

        // Then nothing more runs; B is skipped naming A, C naming B
        assertThat(released()).isEmpty();
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(done.getStatus()).isEqualTo(CompletionStatus.FAILED);
        assertThat(reasons(done)).containsEntry("app-b/b", "dependency: app-a/a ended FAILED (ALL, succeeded)")
                .containsEntry("app-c/c", "dependency: app-b/b ended SKIPPED (ALL, succeeded)");
        assertThat(done.getCounts().getSkipped()).isEqualTo(2);
    }

    /** The rows of the table in docs/trees.md: condition, how the sibling ended, what the dependent is. */
    static Stream<Arguments> theTableOfTheDocs() throws IOException {
        Pattern row = Pattern.compile("^\\| `(succeeded|failed|done)` \\| ([A-Z_]+|not yet) \\| (released|skipped|waiting) \\|$");
        List<Arguments> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "docs", "trees.md"))) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                rows.add(Arguments.of(DependencyCondition.valueOf(m.group(1).toUpperCase(Locale.ROOT)),
                        m.group(2).equals("not yet") ? "PENDING" : m.group(2), m.group(3)));
            }
        }
        assertThat(rows).as("rows of the dependency table in docs/trees.md").hasSize(15);
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} after a sibling that {1}: {2}")
    @MethodSource("theTableOfTheDocs")
    void theConditionAgainstHowTheSiblingEndedDecides(DependencyCondition condition, String sibling, String expected) {
        // Given X (which may itself wait for W, to be skipped) and D after X with the condition
        subscribe("w", null);
        fanout.subscribe(subscription("app-x", "x").setDependsOn(sibling.equals("SKIPPED") ? all("app-w/w") : null)
                .setTimeoutMs(sibling.equals("TIMED_OUT") ? 1_000L : null).build());
        subscribe("d", new DependsOn(List.of("app-x/x"), DependencyMode.ALL, condition));
        fanout.emit(event("e1").build());
        released();

        // When X ends as the row says
        switch (sibling) {
            case "SUCCEEDED" -> succeed("app-x/x");
            case "FAILED" -> fail("app-x/x");
            case "TIMED_OUT" -> fanout.advance(Duration.ofSeconds(3));
            case "SKIPPED" -> fail("app-w/w");
            default -> { }
        }

        // Then D is released, skipped or still waiting
        List<String> now = released();
        switch (expected) {
            case "released" -> assertThat(now).contains("app-d/d");
            case "waiting" -> {
                assertThat(now).doesNotContain("app-d/d");
                assertThat(status("app-d/d")).isEqualTo("WAITING");
            }
            default -> {
                assertThat(now).doesNotContain("app-d/d");
                assertThat(status("app-d/d")).isEqualTo("SKIPPED");
            }
        }
    }

    @Test
    void aListedSiblingThatDidNotMatchIsIgnored() {
        // Given D after X, where X subscribes to another event type
        fanout.subscribe(subscription("app-x", "x").setEvents(List.of("promoted")).build());
        subscribe("d", all("app-x/x"));

        // When a published event comes, Then D runs at once
        fanout.emit(event("e1").build());
        assertThat(released()).containsExactly("app-d/d");
    }

    @Test
    void aForeachSiblingIsOneDependencyOverAllItsItems() {
        // Given build over two targets, and deploy after build
        fanout.subscribe(subscription("app-b", "build").setForeach("event.payload.targets").build());
        subscribe("deploy", all("app-b/build"));
        fanout.emit(event("e1").build());
        List<Trigger> builds = fanout.triggers();
        assertThat(builds).hasSize(2);

        // When one item succeeds, deploy waits; when the other does, it runs
        fanout.report(succeeded(fanout, builds.get(0), "{}"));
        assertThat(fanout.triggers()).isEmpty();
        fanout.report(succeeded(fanout, builds.get(1), "{}"));
        assertThat(fanout.triggers()).extracting(Trigger::getSubscriptionId).containsExactly("app-deploy/deploy");
    }

    @Test
    void aCycleThatReachesTheCoordinatorSkipsItsMembers() {
        // Given subscriptions published by hand (no sync to refuse them) with X after Y and Y after X, and Z
        subscribe("x", all("app-y/y"));
        subscribe("y", all("app-x/x"));
        subscribe("z", null);

        // When the event comes
        fanout.emit(event("e1").build());

        // Then Z runs and X and Y are skipped, naming the cycle
        assertThat(released()).containsExactly("app-z/z");
        succeed("app-z/z");
        FanOutDone done = fanout.fanOutDone().get(0).value();
        assertThat(reasons(done).get("app-x/x")).startsWith("dependency cycle: ").contains("app-y/y");
        assertThat(reasons(done).get("app-y/y")).startsWith("dependency cycle: ").contains("app-x/x");
    }

    @Test
    void dependenciesAndTheConcurrencyLimitTogetherNeverExceedTheLimit() {
        // Given a foreach of four after A, under a limit of two
        subscribe("a", null);
        fanout.subscribe(subscription("app-t", "test").setForeach("event.payload.targets + ['bsd', 'win']")
                .setDependsOn(all("app-a/a")).build());
        fanout.emit(event("e1").setFanOut(FanOutOptions.newBuilder().setConcurrencyLimit(2).build()).build());

        // When a worker always finishes the oldest run in flight
        Deque<Trigger> inFlight = new ArrayDeque<>(fanout.triggers());
        int most = inFlight.size();
        int ran = 0;
        while (!inFlight.isEmpty()) {
            fanout.report(succeeded(fanout, inFlight.removeFirst(), "{}"));
            ran++;
            inFlight.addAll(fanout.triggers());
            most = Math.max(most, inFlight.size());
        }

        // Then all five ran, never more than two at once
        assertThat(ran).isEqualTo(5);
        assertThat(most).isLessThanOrEqualTo(2);
        assertThat(fanout.fanOutDone().get(0).value().getStatus()).isEqualTo(CompletionStatus.SUCCEEDED);
    }

    @Test
    void aRetriedSiblingReleasesItsDependentWhenItsRetrySucceeds() {
        fanout.subscribe(subscription("app-a", "a").setRetry(new RetryPolicy(2, 1_000L, 1.0)).build());
        subscribe("b", all("app-a/a"));
        fanout.emit(event("e1").build());
        released();

        failRetryably("app-a/a");
        fanout.advance(Duration.ofSeconds(2));
        assertThat(released()).containsExactly("app-a/a");
        succeed("app-a/a");

        assertThat(released()).containsExactly("app-b/b");
    }

    private void subscribe(String name, DependsOn dependsOn) {
        fanout.subscribe(subscription("app-" + name, name).setDependsOn(dependsOn).build());
    }

    static DependsOn all(String... ids) {
        return new DependsOn(List.of(ids), DependencyMode.ALL, DependencyCondition.SUCCEEDED);
    }

    /** Subscriptions of the triggers written since the last call, in order; remembered for the reports. */
    private List<String> released() {
        List<String> ids = new ArrayList<>();
        for (Trigger trigger : fanout.triggers()) {
            pending.put(trigger.getSubscriptionId(), trigger);
            ids.add(trigger.getSubscriptionId());
        }
        return ids;
    }

    private void succeed(String subscriptionId) {
        fanout.report(succeeded(fanout, pending.remove(subscriptionId), "{}"));
    }

    private void fail(String subscriptionId) {
        fanout.report(failed(fanout, pending.remove(subscriptionId), "boom", false));
    }

    private void failRetryably(String subscriptionId) {
        fanout.report(failed(fanout, pending.remove(subscriptionId), "flaky", true));
    }

    private String status(String subscriptionId) {
        String runId = TreeIds.runId("e1", "e1", subscriptionId, null);
        return fanout.driver().<String, dev.fanout.avro.internal.RunNode>getKeyValueStore(
                dev.fanout.config.TopologyNames.TREE_RUNS).get(runId).getStatus().name();
    }

    static Map<String, String> reasons(FanOutDone done) {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (ChildResult result : done.getResults()) {
            if (result.getStatus() == ChildStatus.SKIPPED) {
                reasons.put(result.getSubscriptionId(), result.getReason());
            }
        }
        return reasons;
    }
}
