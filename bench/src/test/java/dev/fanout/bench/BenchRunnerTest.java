package dev.fanout.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchRunnerTest {

    @Test
    void runsAreInterleavedSoEachRunHasEveryScenarioOnce() {
        FakeScenario a = FakeScenario.rates("a", 1, 2, 3);
        FakeScenario b = FakeScenario.rates("b", 4, 5, 6);

        BenchReport report = new BenchRunner(List.of(a, b), 0, 3, Progress.silent()).run("broker:9092");

        assertThat(report.results()).extracting(r -> r.scenario() + r.run())
                .containsExactly("a1", "b1", "a2", "b2", "a3", "b3");
        assertThat(a.contexts).extracting(BenchContext::bootstrapServers).containsOnly("broker:9092");
    }

    @Test
    void warmUpRunsGoFirstAndAreNotReported() {
        FakeScenario a = new FakeScenario("a", List.of(),
                c -> List.of(Measurement.of("rate", c.warmup() ? 1_000 : c.run(), "records/s")));

        BenchReport report = new BenchRunner(List.of(a), 2, 2, Progress.silent()).run("b");

        assertThat(a.contexts).extracting(BenchContext::runId).containsExactly("warmup-1", "warmup-2", "run-1", "run-2");
        assertThat(report.results()).extracting(r -> r.measurements().get(0).value()).containsExactly(1.0, 2.0);
        assertThat(report.runs()).isEqualTo(2);
    }

    @Test
    void aScenarioThatWarmsItselfUpIsLeftOutOfTheWarmUps() {
        FakeScenario plain = FakeScenario.rates("plain", 1, 2);
        FakeScenario selfWarming = new FakeScenario("self-warming", List.of(),
                c -> List.of(Measurement.of("rate", c.run(), "records/s"))) {
            @Override
            public boolean warmsUpItself() {
                return true;
            }
        };

        new BenchRunner(List.of(plain, selfWarming), 1, 2, Progress.silent()).run("b");

        assertThat(plain.contexts).extracting(BenchContext::runId).containsExactly("warmup-1", "run-1", "run-2");
        assertThat(selfWarming.contexts).extracting(BenchContext::runId).containsExactly("run-1", "run-2");
    }

    @Test
    void aScenarioTakesItsRatioToTheBaselineOfItsOwnRun() {
        FakeScenario ceiling = FakeScenario.rates("ceiling", 100, 200);
        FakeScenario derived = new FakeScenario("derived", List.of("ceiling"), c -> List.of(
                Measurement.of("rate", 50, "records/s").relativeTo(c.baseline("ceiling", "rate", "records/s"))));

        BenchReport report = new BenchRunner(List.of(ceiling, derived), 0, 2, Progress.silent()).run("b");

        assertThat(report.results()).filteredOn(r -> r.scenario().equals("derived"))
                .extracting(r -> r.measurements().get(0).ratio()).containsExactly(0.5, 0.25);
    }

    @Test
    void progressHearsOfEveryRunStartingAndFinishing() {
        List<String> heard = new ArrayList<>();
        Progress progress = new Progress() {
            @Override
            public void started(String scenario, String run) {
                heard.add("start " + scenario + " " + run);
            }

            @Override
            public void finished(RunResult result, String run) {
                heard.add("done " + result.scenario() + " " + run);
            }
        };

        new BenchRunner(List.of(FakeScenario.rates("a", 1, 2)), 1, 2, progress).run("b");

        assertThat(heard).containsExactly("start a warm-up 1/1", "done a warm-up 1/1",
                "start a run 1/2", "done a run 1/2", "start a run 2/2", "done a run 2/2");
    }

    @Test
    void aFailingScenarioIsNamedWithItsRun() {
        FakeScenario failing = new FakeScenario("broken", List.of(), c -> {
            throw new IllegalStateException("broker went away");
        });

        assertThatThrownBy(() -> new BenchRunner(List.of(failing), 0, 3, Progress.silent()).run("b"))
                .isInstanceOf(BenchException.class)
                .hasMessage("scenario broken failed in run 1/3: broker went away");
    }

    @Test
    void aBaselineNotRunBeforeIsAnErrorThatSaysWhy() {
        FakeScenario orphan = new FakeScenario("orphan", List.of(), c -> List.of(
                Measurement.of("rate", 1, "records/s").relativeTo(c.baseline("ceiling", "rate", "records/s"))));

        assertThatThrownBy(() -> new BenchRunner(List.of(orphan), 0, 1, Progress.silent()).run("b"))
                .hasMessageContaining("requires()");
    }

    @Test
    void zeroRunsAreRefused() {
        assertThatThrownBy(() -> new BenchRunner(List.of(), 0, 0, Progress.silent()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least once");
    }
}
