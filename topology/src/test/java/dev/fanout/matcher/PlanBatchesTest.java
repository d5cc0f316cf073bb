package dev.fanout.matcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.internal.PlannedChild;
import dev.fanout.avro.internal.PlannedChildren;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PlanBatchesTest {

    @Test
    void childrenTravelInOrderAtMostTheCapToARecord() {
        // Given 250 small children
        List<PlannedChild> children = IntStream.range(0, 250).mapToObj(i -> child(i, "{}")).toList();

        // When they are cut into records
        List<PlannedChildren> batches = PlanBatches.of(children);

        // Then they fill records of the cap, the last one with the rest, and keep their order
        assertThat(batches).extracting(batch -> batch.getChildren().size())
                .containsExactly(PlanBatches.MAX_CHILDREN, PlanBatches.MAX_CHILDREN, 50);
        assertThat(batches.stream().flatMap(batch -> batch.getChildren().stream()).toList()).isEqualTo(children);
    }

    @Test
    void largeChildrenFillARecordByTheirTextAndAChildLargerThanARecordTravelsAlone() {
        // Given children of 20,000 characters each around one of 100,000, over the record's budget alone
        String large = "\"" + "x".repeat(20_000) + "\"";
        String huge = "\"" + "y".repeat(100_000) + "\"";
        List<PlannedChild> children = List.of(child(0, large), child(1, large), child(2, large), child(3, large),
                child(4, huge), child(5, large), child(6, large));

        // When they are cut into records
        List<PlannedChildren> batches = PlanBatches.of(children);

        // Then no record passes the text budget unless it holds a single child, and none is lost
        assertThat(batches).extracting(batch -> batch.getChildren().size()).containsExactly(3, 1, 1, 2);
        assertThat(batches).allSatisfy(batch -> assertThat(batch.getChildren().size() == 1
                || batch.getChildren().stream().mapToLong(PlanBatches::size).sum() <= PlanBatches.MAX_BYTES).isTrue());
        assertThat(batches.stream().flatMap(batch -> batch.getChildren().stream()).toList()).isEqualTo(children);
    }

    @Test
    void noChildrenMakeNoRecord() {
        assertThat(PlanBatches.of(List.of())).isEmpty();
    }

    private static PlannedChild child(int index, String item) {
        return PlannedChild.newBuilder().setRunId("run-" + index).setSubscriptionId("app/s").setRepo("app")
                .setWorkflow("build").setItemIndex(index).setItem(item).setInputs(Map.of("n", String.valueOf(index)))
                .build();
    }
}
