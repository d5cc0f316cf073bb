package dev.fanout.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Trees (or fan-outs) in flight are counted from the restored store a batch at a time, not in one scan at
 * task start, and the count is exact once done however entries started and finished during it.
 */
class InFlightCensusTest {

    private KeyValueStore<String, String> store;
    private InFlightCensus<String> census;

    @BeforeEach
    void start() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>(new Properties());
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("tree.trees"), Serdes.String(),
                Serdes.String()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        census = new InFlightCensus<>(store, "running"::equals);
    }

    @Test
    void eachBatchExaminesAtMostItsSizeAndTheCountIsExactAtTheEnd() {
        // Given 2,500 restored trees, every other one running
        for (int i = 0; i < 2_500; i++) {
            store.put(key(i), i % 2 == 0 ? "running" : "done");
        }

        // When counted 1,000 at a time
        census.countSome(1_000);
        long afterOne = census.count();
        census.countSome(1_000);
        census.countSome(1_000);

        // Then the first batch saw only its share, and three batches count all
        assertThat(afterOne).isEqualTo(500);
        assertThat(census.isComplete()).isTrue();
        assertThat(census.count()).isEqualTo(1_250);
    }

    @Test
    void treesStartingAndFinishingWhileCountingAreCountedOnce() {
        // Given 2,000 restored trees, all running, counted halfway
        for (int i = 0; i < 2_000; i++) {
            store.put(key(i), "running");
        }
        census.countSome(1_000);

        // When one already counted finishes, one not yet counted finishes, and two start (either side of the scan)
        store.put(key(10), "done");
        census.finished(key(10));
        store.put(key(1_500), "done");
        census.finished(key(1_500));
        store.put("t-000005a", "running");
        census.started("t-000005a");
        store.put("t-009999", "running");
        census.started("t-009999");
        census.countSome(1_000);
        census.countSome(1_000);

        // Then the count is what the store holds
        assertThat(census.isComplete()).isTrue();
        assertThat(census.count()).isEqualTo(2_000 - 2 + 2);
    }

    @Test
    void anEmptyStoreIsCountedAtOnceAndThenFollowsStartsAndEnds() {
        census.countSome(1_000);
        assertThat(census.isComplete()).isTrue();

        census.started("t-1");
        census.started("t-2");
        census.finished("t-1");

        assertThat(census.count()).isEqualTo(1);
    }

    private static String key(int i) {
        return String.format("t-%06d", i);
    }
}
