package dev.fanout.tree.timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.avro.internal.Timer;
import dev.fanout.avro.internal.TimerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Timers fire, then are deleted, one unit of work each: a batch interrupted part-way (a crash, or an
 * action that throws, under {@code at_least_once} where nothing is rolled back) keeps every timer not yet
 * fired, and the one that was firing, so they fire on the next punctuation: twice at worst, never zero times.
 */
class TimerFiringTest {

    private KeyValueStore<Bytes, Timer> store;
    private Timers timers;

    @BeforeEach
    void start() {
        Properties settings = new Properties();
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        MockProcessorContext<String, Object> context = new MockProcessorContext<>(settings);
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("tree.timers"), Serdes.Bytes(),
                new TimerSerde()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        timers = new Timers(store);
    }

    @Test
    void aBatchInterruptedPartWayKeepsTheTimersNotYetFiredAndFiresThemNextTime() {
        // Given three retry timers due
        timers.retry("t1", "r1", 1, 1_000);
        timers.retry("t1", "r2", 1, 2_000);
        timers.retry("t1", "r3", 1, 3_000);

        // When the punctuation at 5 s is interrupted while firing the second
        List<String> fired = new ArrayList<>();
        assertThatThrownBy(() -> timers.fireDue(5_000, Runnable::run, timer -> {
            if (timer.getTargetId().equals("r2")) {
                throw new IllegalStateException("crash while firing r2");
            }
            fired.add(timer.getTargetId());
        })).hasMessageContaining("r2");

        // Then the first fired and is gone; the second and third are still there
        assertThat(fired).containsExactly("r1");
        assertThat(targets()).containsExactly("r2", "r3");

        // And the next punctuation fires them
        timers.fireDue(5_200, Runnable::run, timer -> fired.add(timer.getTargetId()));
        assertThat(fired).containsExactly("r1", "r2", "r3");
        assertThat(targets()).isEmpty();
    }

    @Test
    void aTimerThatSchedulesItsSuccessorUnderTheSameKeyKeepsTheSuccessor() {
        // Given a cleanup timer due exactly now, whose action schedules its next batch for now
        timers.cleanup("t1", 5_000);

        // When it fires
        timers.fireDue(5_000, Runnable::run, timer -> timers.cleanup("t1", 5_000, "runs|r-9"));

        // Then the next batch is still due
        List<Timer> left = new ArrayList<>();
        timers.fireDue(5_000, Runnable::run, left::add);
        assertThat(left).extracting(Timer::getCursor).containsExactly("runs|r-9");
    }

    @Test
    void timersNotYetDueStayAndNothingFires() {
        timers.runTimeout("t1", "r1", 1, 10_000);

        List<Timer> fired = new ArrayList<>();
        timers.fireDue(9_999, Runnable::run, fired::add);

        assertThat(fired).isEmpty();
        assertThat(targets()).containsExactly("r1");
    }

    private List<String> targets() {
        List<String> targets = new ArrayList<>();
        try (KeyValueIterator<Bytes, Timer> all = store.all()) {
            all.forEachRemaining(entry -> targets.add(entry.value.getTargetId()));
        }
        return targets;
    }

    /** Timers kept as objects: the in-memory store holds bytes, so Avro's own binary encoding does. */
    private static final class TimerSerde implements Serde<Timer> {
        @Override
        public Serializer<Timer> serializer() {
            return (topic, timer) -> {
                try {
                    return timer.toByteBuffer().array();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            };
        }

        @Override
        public Deserializer<Timer> deserializer() {
            return (topic, bytes) -> {
                try {
                    return Timer.fromByteBuffer(java.nio.ByteBuffer.wrap(bytes));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            };
        }
    }
}
