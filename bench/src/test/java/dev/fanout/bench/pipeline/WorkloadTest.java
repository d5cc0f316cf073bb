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
    void aWiderForeachIsListsOfAHundredThousand() {
        Workload w = Workload.byForeach("lib:bench", 1_000_000);

        assertThat(w.subscriptions()).hasSize(10);
        assertThat(w.children()).isEqualTo(1_000_000);
    }

    @Test
    void aForeachWidthThatIsNotAMultipleOfTheListLengthIsRefused() {
        assertThatThrownBy(() -> Workload.byForeach("lib:bench", 150_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a foreach width above 100000 must be a multiple of it: 150000");
    }

    @Test
    void bySubscriptionsEachChildIsItsOwnSubscriptionWithoutForeach() {
        Workload w = Workload.bySubscriptions("lib:bench", 3);

        assertThat(w.subscriptions()).extracting(s -> s.getId() + " " + s.getForeach())
                .containsExactly("bench-0/lib-bench null", "bench-1/lib-bench null", "bench-2/lib-bench null");
        assertThat(w.children()).isEqualTo(3);
    }
}
