package dev.fanout.matcher;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.PlanCursor;
import dev.fanout.avro.internal.PlanPosition;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.TopologyNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan wider than {@code fanout.plan.children.per.step} is written in steps from a cursor in
 * {@code matcher.plan-cursors} (the event, written once) and a position in {@code matcher.plan-positions}:
 * each step sends at most that many children, the seal comes with the last, and every child is planned
 * exactly once. (A plan resumed by a new instance from its cursor: MatcherIT.)
 */
class PlanStepsTest {

    private static final int STEP = 100;
    private static final int WIDTH = 1_050;

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;

    @AfterEach
    void stop() {
        if (fanout != null) {
            fanout.close();
        }
    }

    @Test
    void aWidePlanIsSentAStepAtATimeAndSealedWithTheLast() {
        // Given steps of 100 children, a foreach subscription and a subscription without
        fanout = start(stateDir);

        // When an event lists 1,050 targets
        fanout.emit(wideEvent());

        // Then the first step triggers 100 children, and the plan waits for the next step, unsealed
        List<Trigger> triggers = new ArrayList<>(fanout.triggers());
        assertThat(triggers).hasSize(STEP);
        assertThat(positions().get("e1")).isNotNull().satisfies(at -> assertThat(at.getPlanned()).isEqualTo(STEP));
        PlanCursor cursor = cursors().get("e1");
        assertThat(cursor.getEvent().getPayload()).isEqualTo(wideEvent().getPayload());
        assertThat(fanOut().getSealedAt()).isNull();

        // When the steps run, each is at most 100 children, until the plan is complete
        int steps = 1;
        while (positions().get("e1") != null) {
            // (the cursor, which holds the event, is written once: only the position moves)
            assertThat(cursors().get("e1")).isEqualTo(cursor);
            assertThat(positions().get("e1").getPlanned()).isEqualTo(steps * STEP);
            fanout.advance(FanOutPlanProcessor.STEP_INTERVAL);
            List<Trigger> step = fanout.triggers();
            assertThat(step.size()).isLessThanOrEqualTo(STEP);
            triggers.addAll(step);
            steps++;
        }

        // Then every child was triggered exactly once, the seal counts them all, and the cursor is gone
        assertThat(steps).isEqualTo(11);
        assertThat(cursors().get("e1")).isNull();
        assertEveryChildOnce(triggers);
        assertThat(fanOut().getSealedAt()).isNotNull();
        assertThat(fanOut().getChildren()).isEqualTo(WIDTH + 1);
    }

    @Test
    void anEventSentAgainWhileItsPlanIsInProgressIsNotPlannedTwice() {
        // Given a wide plan in progress
        fanout = start(stateDir);
        fanout.emit(wideEvent());

        // When the same event arrives again, and the steps run
        fanout.emit(wideEvent());
        List<Trigger> triggers = new ArrayList<>(fanout.triggers());
        while (positions().get("e1") != null) {
            fanout.advance(FanOutPlanProcessor.STEP_INTERVAL);
            triggers.addAll(fanout.triggers());
        }

        // Then each child is triggered once
        assertEveryChildOnce(triggers);
    }

    @Test
    void twoWidePlansInProgressShareTheStepsAndEachIsPlannedOnce() {
        // Given two wide plans in progress at once
        fanout = start(stateDir);
        fanout.emit(wideEvent("e1"));
        fanout.emit(wideEvent("e2"));
        List<Trigger> triggers = new ArrayList<>(fanout.triggers());

        // When the steps run: a step that ends one plan goes on with the next
        int steps = 0;
        while (positions().get("e1") != null || positions().get("e2") != null) {
            fanout.advance(FanOutPlanProcessor.STEP_INTERVAL);
            List<Trigger> step = fanout.triggers();
            assertThat(step.size()).isLessThanOrEqualTo(STEP);
            triggers.addAll(step);
            steps++;
        }

        // Then each plan's children were triggered once, in as few steps as the children need
        assertEveryChildOnce(triggers.stream().filter(t -> t.getTreeId().equals("e1")).toList());
        assertEveryChildOnce(triggers.stream().filter(t -> t.getTreeId().equals("e2")).toList());
        int afterFirstSteps = 2 * (WIDTH + 1) - 2 * STEP;
        assertThat(steps).isEqualTo((afterFirstSteps + STEP - 1) / STEP);
    }

    private FanoutDriver start(Path dir) {
        FanoutDriver driver = new FanoutDriver(dir, Map.of(FanoutConfig.PLAN_CHILDREN_PER_STEP, STEP));
        driver.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets")
                .setInputs(Map.of("target", "item")).build());
        driver.subscribe(subscription("app-b", "on-release").build());
        return driver;
    }

    private static ArtifactEvent wideEvent() {
        return wideEvent("e1");
    }

    private static ArtifactEvent wideEvent(String id) {
        String targets = IntStream.range(0, WIDTH).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(","));
        return event(id).setPayload("{\"channel\":\"stable\",\"targets\":[" + targets + "]}").build();
    }

    private static void assertEveryChildOnce(List<Trigger> triggers) {
        assertThat(triggers).hasSize(WIDTH + 1);
        assertThat(triggers).extracting(Trigger::getRunId).doesNotHaveDuplicates();
        assertThat(triggers).filteredOn(t -> t.getRepo().equals("app-a")).extracting(Trigger::getItemIndex)
                .containsExactlyElementsOf(IntStream.range(0, WIDTH).boxed().toList());
        assertThat(triggers).filteredOn(t -> t.getRepo().equals("app-a")).allSatisfy(t ->
                assertThat(t.getInputs().get("target")).isEqualTo("\"t" + t.getItemIndex() + "\""));
        assertThat(triggers).filteredOn(t -> t.getRepo().equals("app-b")).hasSize(1);
    }

    private KeyValueStore<String, PlanCursor> cursors() {
        return fanout.driver().getKeyValueStore(TopologyNames.MATCHER_PLAN_CURSORS);
    }

    private KeyValueStore<String, PlanPosition> positions() {
        return fanout.driver().getKeyValueStore(TopologyNames.MATCHER_PLAN_POSITIONS);
    }

    private FanOutNode fanOut() {
        KeyValueStore<String, FanOutNode> store = fanout.driver().getKeyValueStore(TopologyNames.TREE_FAN_OUTS);
        return store.get("e1");
    }
}
