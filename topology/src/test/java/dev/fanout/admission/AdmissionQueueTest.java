package dev.fanout.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.admission.AdmissionQueue.Grant;
import dev.fanout.avro.internal.AdmissionRepo;
import dev.fanout.avro.internal.AdmissionRun;
import dev.fanout.avro.internal.AdmissionTreeQueue;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admission stage's decisions, on real in-memory stores: the limit, round-robin fairness, idempotent releases. */
class AdmissionQueueTest {

    private static final String REPO = "acme/deployer";

    private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    private AdmissionQueue queue;

    @BeforeEach
    void open() {
        queue = new AdmissionQueue(store("admission.repos", avro(AdmissionRepo.getEncoder()::encode, AdmissionRepo::fromByteBuffer)),
                store("admission.runs", avro(AdmissionRun.getEncoder()::encode, AdmissionRun::fromByteBuffer)),
                store("admission.tree-queues", avro(AdmissionTreeQueue.getEncoder()::encode, AdmissionTreeQueue::fromByteBuffer)),
                store("admission.waiting", Serdes.String()), store("admission.rotation", Serdes.String()));
    }

    private <V> KeyValueStore<String, V> store(String name, Serde<V> values) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                values).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    private interface Encode<T> {
        java.nio.ByteBuffer apply(T value) throws java.io.IOException;
    }

    private interface Decode<T> {
        T apply(java.nio.ByteBuffer bytes) throws java.io.IOException;
    }

    /** Records kept as Avro's own binary encoding: the in-memory store holds bytes, and no registry is needed. */
    private static <T> Serde<T> avro(Encode<T> encode, Decode<T> decode) {
        return Serdes.serdeFrom((topic, value) -> {
            try {
                java.nio.ByteBuffer buffer = encode.apply(value);
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return bytes;
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, (topic, bytes) -> {
            try {
                return decode.apply(java.nio.ByteBuffer.wrap(bytes));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static List<String> runIds(List<Grant> grants) {
        return grants.stream().map(Grant::runId).toList();
    }

    /** Requests {@code count} runs of {@code tree} (named tree-1, tree-2, ...) in plan order; returns those granted at once. */
    private List<String> requestAll(String tree, int count) {
        List<String> granted = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            granted.addAll(runIds(queue.request(REPO, tree + "-" + i, tree, 1)));
        }
        return granted;
    }

    @Test
    void aRepositoryWithoutALimitGrantsEveryRequestAtOnce() {
        assertThat(requestAll("big", 5)).hasSize(5);
        assertThat(queue.isLimited(REPO)).isFalse();
    }

    @Test
    void atMostTheLimitIsGrantedAndTheRestWaitInPlanOrder() {
        // Given
        queue.limit(REPO, 3);

        // When
        List<String> granted = requestAll("big", 5);

        // Then
        assertThat(granted).containsExactly("big-1", "big-2", "big-3");
        assertThat(queue.census(REPO)).isEqualTo(new AdmissionQueue.Census(3, 2, 3));
        assertThat(runIds(queue.release(REPO, "big-1"))).containsExactly("big-4");
        assertThat(runIds(queue.release(REPO, "big-2"))).containsExactly("big-5");
        assertThat(queue.release(REPO, "big-3")).isEmpty();
        assertThat(queue.census(REPO)).isEqualTo(new AdmissionQueue.Census(2, 0, 3));
    }

    @Test
    void aSmallTreeArrivingAfterABigOneGetsEveryOtherGrant() {
        // Given a big tree holding the only slot, with 99 more waiting, then a tree of 3
        queue.limit(REPO, 1);
        requestAll("big", 100);
        requestAll("small", 3);

        // When slots free one by one, each granted run ending at once
        List<String> order = new ArrayList<>();
        String running = "big-1";
        for (int i = 0; i < 8; i++) {
            List<Grant> next = queue.release(REPO, running);
            assertThat(next).hasSize(1);
            running = next.get(0).runId();
            order.add(running);
        }

        // Then
        assertThat(order).containsExactly("big-2", "small-1", "big-3", "small-2", "big-4", "small-3", "big-5", "big-6");
    }

    @Test
    void aSecondReleaseOfTheSameRunFreesNothing() {
        queue.limit(REPO, 1);
        requestAll("t", 3);

        assertThat(runIds(queue.release(REPO, "t-1"))).containsExactly("t-2");
        assertThat(queue.release(REPO, "t-1")).isEmpty();
        assertThat(queue.census(REPO).inFlight()).isEqualTo(1);
    }

    @Test
    void aReplayedRequestIsNotQueuedTwice() {
        queue.limit(REPO, 1);
        requestAll("t", 2);

        assertThat(queue.request(REPO, "t-2", "t", 1)).isEmpty();
        assertThat(queue.request(REPO, "t-1", "t", 1)).isEmpty();
        assertThat(queue.census(REPO)).isEqualTo(new AdmissionQueue.Census(1, 1, 1));
    }

    @Test
    void aRetryAsksAgainAndItsEarlierSlotIsGivenBackFirst() {
        // Given t-1 holds the slot and t-2 waits; t-1 failed and its retry asks without having released
        queue.limit(REPO, 1);
        requestAll("t", 2);

        // When
        List<Grant> grants = queue.request(REPO, "t-1", "t", 2);

        // Then the slot went to t-2, and attempt 2 of t-1 waits behind it
        assertThat(runIds(grants)).containsExactly("t-2");
        assertThat(runIds(queue.release(REPO, "t-2"))).containsExactly("t-1");
        assertThat(queue.census(REPO)).isEqualTo(new AdmissionQueue.Census(1, 0, 1));
    }

    @Test
    void aWaitingRunThatIsReleasedNeverGetsAGrantAndHoldsNoPlace() {
        // Given
        queue.limit(REPO, 1);
        requestAll("t", 4);

        // When t-2 and t-3 stop waiting (their fan-out timed out or was cancelled)
        assertThat(queue.release(REPO, "t-2")).isEmpty();
        assertThat(queue.release(REPO, "t-3")).isEmpty();
        assertThat(queue.release(REPO, "t-3")).isEmpty();

        // Then
        assertThat(queue.census(REPO)).isEqualTo(new AdmissionQueue.Census(1, 1, 1));
        assertThat(runIds(queue.release(REPO, "t-1"))).containsExactly("t-4");
    }

    @Test
    void aTreeWhoseWaitingRunsWereAllReleasedLosesItsTurnToTheNext() {
        queue.limit(REPO, 1);
        requestAll("a", 1);
        requestAll("b", 2);
        requestAll("c", 1);
        queue.release(REPO, "b-1");
        queue.release(REPO, "b-2");

        assertThat(runIds(queue.release(REPO, "a-1"))).containsExactly("c-1");
        assertThat(queue.census(REPO)).isEqualTo(new AdmissionQueue.Census(1, 0, 1));
    }

    @Test
    void aLoweredLimitTakesEffectForTheNextGrant() {
        // Given 3 in flight under a limit of 3, 2 waiting
        queue.limit(REPO, 3);
        requestAll("t", 5);

        // When the limit drops to 1
        assertThat(queue.limit(REPO, 1)).isEmpty();

        // Then the runs in flight keep their slots, and nothing is granted until fewer than 1 are in flight
        assertThat(queue.release(REPO, "t-1")).isEmpty();
        assertThat(queue.release(REPO, "t-2")).isEmpty();
        assertThat(runIds(queue.release(REPO, "t-3"))).containsExactly("t-4");
    }

    @Test
    void aRaisedOrRemovedLimitGrantsWhatItNowAllows() {
        queue.limit(REPO, 1);
        requestAll("t", 4);

        assertThat(runIds(queue.limit(REPO, 2))).containsExactly("t-2");
        assertThat(runIds(queue.limit(REPO, null))).containsExactly("t-3", "t-4");
        assertThat(queue.isLimited(REPO)).isFalse();
    }

    @Test
    void repositoriesAreCountedApart() {
        queue.limit(REPO, 1);
        queue.limit("docs-site", 1);

        assertThat(queue.request(REPO, "a", "t", 1)).hasSize(1);
        assertThat(queue.request("docs-site", "b", "t", 1)).hasSize(1);
        assertThat(queue.request(REPO, "c", "t", 1)).isEmpty();
    }

    @Test
    void idsThatContainTheSeparatorsStayApart() {
        // A tree id that starts like another tree's key with a sequence must not share its queue
        queue.limit(REPO, 1);
        queue.request(REPO, "x", "first", 1);
        queue.request(REPO, "r1", "t", 1);
        queue.request(REPO, "r2", "t2:t", 1);

        assertThat(runIds(queue.release(REPO, "x"))).containsExactly("r1");
        assertThat(runIds(queue.release(REPO, "r1"))).containsExactly("r2");
    }
}
