package dev.fanout.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Expiring seen event ids walks a bounded batch of the store per punctuation, on from where it stopped. */
class SeenEventsTest {

    private static final Duration RETENTION = Duration.ofDays(7);
    private static final long DAY = Duration.ofDays(1).toMillis();

    private KeyValueStore<String, Long> store;
    private SeenEvents seen;

    @BeforeEach
    void start() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>(new Properties());
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("matcher.seen-events"), Serdes.String(),
                Serdes.Long()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        seen = new SeenEvents(store, RETENTION);
    }

    @Test
    void eachPunctuationExaminesAtMostABatchAndTheNextGoesOnWhereItStopped() {
        // Given 2,500 ids seen eight days ago
        for (int i = 0; i < 2_500; i++) {
            seen.remember(String.format("e%05d", i), 0L);
        }

        // When expiry runs three times, eight days on
        int first = seen.expire(8 * DAY);
        int second = seen.expire(8 * DAY);
        int third = seen.expire(8 * DAY);

        // Then each forgets at most a batch, and together they forget all
        assertThat(first).isEqualTo(SeenEvents.BATCH);
        assertThat(second).isEqualTo(SeenEvents.BATCH);
        assertThat(third).isEqualTo(500);
        assertThat(store.approximateNumEntries()).isZero();
    }

    @Test
    void idsWithinTheRetentionStayAndAPassStartsOverAtTheEnd() {
        // Given 1,500 ids: those seen on day 0 and, every third, on day 6
        for (int i = 0; i < 1_500; i++) {
            seen.remember(String.format("e%05d", i), i % 3 == 0 ? 6 * DAY : 0L);
        }

        // When expiry runs on day 8 over the whole store, then again
        int forgotten = seen.expire(8 * DAY) + seen.expire(8 * DAY);
        int again = seen.expire(8 * DAY) + seen.expire(8 * DAY);

        // Then the 1,000 old ids are forgotten, the 500 recent ones stay, and a second pass finds nothing more
        assertThat(forgotten).isEqualTo(1_000);
        assertThat(again).isZero();
        assertThat(seen.contains("e00000")).isTrue();
        assertThat(seen.contains("e00001")).isFalse();
        assertThat(store.approximateNumEntries()).isEqualTo(500);
    }
}
