package dev.fanout.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void aForeachUpToAHundredIsOneListOfThatLength() {
        Workload w = Workload.byForeach("lib:bench", 10);

        assertThat(w.subscriptions()).singleElement()
                .satisfies(s -> assertThat(s.getForeach()).isEqualTo("event.payload.items"));
        assertThat(w.event("e1").getPayload()).isEqualTo("{\"items\":[0,1,2,3,4,5,6,7,8,9]}");
        assertThat(w.children()).isEqualTo(10);
    }

    @Test
    void aWideForeachIsSplitIntoListsOfAHundredSoTriggersStaySmall() {
        Workload w = Workload.byForeach("lib:bench", 1_000_000);

        assertThat(w.subscriptions()).hasSize(10_000);
        assertThat(w.event("e1").getPayload()).hasSizeLessThan(400);
        assertThat(w.children()).isEqualTo(1_000_000);
    }

    @Test
    void aForeachWidthThatIsNotAMultipleOfTheListLengthIsRefused() {
        assertThatThrownBy(() -> Workload.byForeach("lib:bench", 1_050))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a foreach width above 100 must be a multiple of it: 1050");
    }

    @Test
    void bySubscriptionsEachChildIsItsOwnSubscriptionWithoutForeach() {
        Workload w = Workload.bySubscriptions("lib:bench", 3);

        assertThat(w.subscriptions()).extracting(s -> s.getId() + " " + s.getForeach())
                .containsExactly("bench-0/lib-bench null", "bench-1/lib-bench null", "bench-2/lib-bench null");
        assertThat(w.children()).isEqualTo(3);
    }
}
