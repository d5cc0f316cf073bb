package dev.fanout.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void aForeachUpToAHundredThousandIsOneListOfThatLength() {
        Workload w = Workload.byForeach("lib:bench", 10);

        assertThat(w.subscriptions()).singleElement()
                .satisfies(s -> assertThat(s.getForeach()).isEqualTo("event.payload.items"));
        assertThat(w.event("e1").getPayload()).isEqualTo("{\"items\":[0,1,2,3,4,5,6,7,8,9]}");
        assertThat(w.children()).isEqualTo(10);
    }

    @Test
    void aHundredThousandIsOneListThatFitsInOneRecord() {
        Workload w = Workload.byForeach("lib:bench", 100_000);

        assertThat(w.subscriptions()).hasSize(1);
        assertThat(w.event("e1").getPayload()).hasSizeBetween(500_000, 1_000_000);
        assertThat(w.children()).isEqualTo(100_000);
    }

    @Test
    void aMillionIsOneListOverTheDefaultRecordSize() {
        Workload w = Workload.byForeach("lib:bench", 1_000_000);

        assertThat(w.subscriptions()).hasSize(1);
        assertThat(w.children()).isEqualTo(1_000_000);
        assertThat(w.payloadBytes()).isEqualTo(w.event("e1").getPayload().length()).isGreaterThan(6_000_000);
    }

    @Test
    void aForeachWiderThanAMillionIsRefused() {
        assertThatThrownBy(() -> Workload.byForeach("lib:bench", 1_000_001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a foreach width must be from 1 to 1000000: 1000001");
    }

    @Test
    void recordLimitsFitTwiceTheLongestListAndNeverFallBelowTwoMebibytes() {
        assertThat(Pipeline.forLists(Workload.byForeach("lib:bench", 10).payloadBytes()))
                .containsEntry("producer.max.request.size", 2 * 1024 * 1024);
        assertThat(Pipeline.forLists(Workload.byForeach("lib:bench", 100_000).payloadBytes()))
                .containsEntry("topic.max.message.bytes", 2 * 1024 * 1024);
        assertThat(Pipeline.forLists(Workload.byForeach("lib:bench", 1_000_000).payloadBytes()))
                .containsEntry("topic.max.message.bytes", 16 * 1024 * 1024);
    }

    @Test
    void bySubscriptionsEachChildIsItsOwnSubscriptionWithoutForeach() {
        Workload w = Workload.bySubscriptions("lib:bench", 3);

        assertThat(w.subscriptions()).extracting(s -> s.getId() + " " + s.getForeach())
                .containsExactly("bench-0/lib-bench null", "bench-1/lib-bench null", "bench-2/lib-bench null");
        assertThat(w.children()).isEqualTo(3);
    }
}
