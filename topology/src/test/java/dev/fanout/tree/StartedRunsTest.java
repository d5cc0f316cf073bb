package dev.fanout.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.config.TopologyNames;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A STARTED report that only moves its run to RUNNING is kept aside ({@link TreeState#started}), not written:
 * the run's next save writes it, or the task's commit does ({@link TreeState#writeStartedRuns}). Every unit in
 * between sees the run RUNNING; a unit that fails keeps nothing aside. That the commit writes it through Kafka
 * Streams is {@code RunStatusTest}'s (a STARTED report's run is RUNNING in the store once its record committed).
 */
class StartedRunsTest {

    private final AtomicInteger runWrites = new AtomicInteger();
    private KeyValueStore<String, RunNode> runs;
    private TreeState state;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void stores() {
        Map<String, KeyValueStore<?, ?>> stores = InMemoryCoordinatorStores.create();
        KeyValueStore<String, RunNode> store = (KeyValueStore<String, RunNode>) stores.get(TopologyNames.TREE_RUNS);
        runs = (KeyValueStore<String, RunNode>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("put")) {
                        runWrites.incrementAndGet();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        state = new TreeState(name -> name.equals(TopologyNames.TREE_RUNS) ? runs : stores.get(name));
        state.save(run("r-1", 1));
        state.flush();
        runWrites.set(0);
    }

    @Test
    void aStartThenAnOutcomeWithinOneCommitWriteTheRunOnce() {
        // When one unit moves the run to RUNNING (a STARTED report)
        state.started(state.run("r-1"));
        state.flush();

        // Then nothing is written, and the next unit reads the run RUNNING
        assertThat(runWrites).hasValue(0);
        RunNode read = state.run("r-1");
        assertThat(read.getStatus()).isEqualTo(RunNodeStatus.RUNNING);

        // When that unit ends it (its outcome), then the run is written once, ended, and the commit writes nothing
        NodeStateMachine.move(read, RunNodeStatus.SUCCEEDED);
        state.save(read);
        state.flush();
        state.writeStartedRuns();
        assertThat(runWrites).hasValue(1);
        assertThat(runs.get("r-1").getStatus()).isEqualTo(RunNodeStatus.SUCCEEDED);
    }

    @Test
    void aStartWithoutAnOutcomeIsWrittenByTheCommit() {
        state.started(state.run("r-1"));
        state.flush();
        assertThat(runs.get("r-1").getStatus()).isEqualTo(RunNodeStatus.TRIGGERED);

        state.writeStartedRuns();

        assertThat(runWrites).hasValue(1);
        assertThat(runs.get("r-1").getStatus()).isEqualTo(RunNodeStatus.RUNNING);
        assertThat(state.run("r-1").getStatus()).isEqualTo(RunNodeStatus.RUNNING);
        state.writeStartedRuns();
        assertThat(runWrites).as("a commit with nothing aside writes nothing").hasValue(1);
    }

    @Test
    void aUnitThatFailsKeepsNoStartAside() {
        state.started(state.run("r-1"));
        state.discard();

        assertThat(state.run("r-1").getStatus()).isEqualTo(RunNodeStatus.TRIGGERED);
        state.discard();
        state.writeStartedRuns();
        assertThat(runWrites).hasValue(0);
    }

    @Test
    void aStartKeptAsideDoesNotApplyToTheRunsNextAttempt() {
        // Given a start kept aside for attempt 1, when the run is retried (attempt 2, triggered) without the
        // start being read, as when the store is written past this class
        state.started(state.run("r-1"));
        state.flush();
        runs.put("r-1", run("r-1", 2));

        // Then attempt 2 reads TRIGGERED and the commit leaves it so
        assertThat(state.run("r-1").getStatus()).isEqualTo(RunNodeStatus.TRIGGERED);
        state.discard();
        state.writeStartedRuns();
        assertThat(runs.get("r-1").getStatus()).isEqualTo(RunNodeStatus.TRIGGERED);
    }

    @Test
    void aRemovedRunIsNotWrittenBackByTheCommit() {
        state.started(state.run("r-1"));
        state.flush();

        state.deleteRun("r-1");
        state.flush();
        state.writeStartedRuns();

        assertThat(runs.get("r-1")).isNull();
    }

    @Test
    void startsAreWrittenWithoutWaitingForTheCommitOnceTheBoundIsReached() {
        for (int i = 2; i <= TreeState.STARTED_ASIDE_MAX; i++) {
            state.save(run("r-" + i, 1));
        }
        state.flush();
        runWrites.set(0);
        for (int i = 1; i < TreeState.STARTED_ASIDE_MAX; i++) {
            state.started(state.run("r-" + i));
            state.flush();
        }
        assertThat(runWrites).as("one short of the bound").hasValue(0);

        state.started(state.run("r-" + TreeState.STARTED_ASIDE_MAX));
        state.flush();

        assertThat(runWrites).hasValue(TreeState.STARTED_ASIDE_MAX);
        assertThat(runs.get("r-1").getStatus()).isEqualTo(RunNodeStatus.RUNNING);
    }

    @Test
    void startsKeptAsideWhenTheTasksStateIsRecycledAreDropped() {
        state.started(state.run("r-1"));
        state.flush();

        state.dropStartedRuns();
        state.writeStartedRuns();

        assertThat(runWrites).hasValue(0);
        assertThat(state.run("r-1").getStatus()).isEqualTo(RunNodeStatus.TRIGGERED);
    }

    private static RunNode run(String runId, int attempt) {
        return RunNode.newBuilder().setRunId(runId).setTreeId("t").setFanOutId("t").setSubscriptionId("a/b")
                .setRepo("a").setWorkflow("b").setDepth(1).setStatus(RunNodeStatus.TRIGGERED).setAttempt(attempt)
                .build();
    }
}
