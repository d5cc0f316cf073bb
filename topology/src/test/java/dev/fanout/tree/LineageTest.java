package dev.fanout.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.app.Samples;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.PlannedChild;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whether a child may run where it sits, as a table. */
class LineageTest {

    private final Lineage lineage = new Lineage(3);

    static Stream<Arguments> children() {
        return Stream.of(
                // depth, path, child repo/workflow, matcher's reason -> skip reason
                Arguments.of(1, List.of(), "app-a", "build", null, null),
                Arguments.of(2, List.of("app-a/build"), "app-b", "build", null, null),
                Arguments.of(2, List.of("app-a/build"), "app-a", "build", null, "cycle"),
                Arguments.of(3, List.of("app-a/build", "app-b/test"), "app-a", "build", null, "cycle"),
                Arguments.of(2, List.of("app-a/build"), "app-a", "deploy", null, null),
                Arguments.of(3, List.of("app-a/build", "app-b/build"), "app-c", "build", null, null),
                Arguments.of(4, List.of("a/w", "b/w", "c/w"), "d", "w", null, "depth"),
                Arguments.of(4, List.of("a/w", "b/w", "c/w"), "a", "w", null, "cycle"),
                Arguments.of(1, List.of(), "app-a", "build", "filter failed", "filter failed"));
    }

    @ParameterizedTest(name = "depth {0}, path {1}, child {2}/{3}, matcher said {4} -> {5}")
    @MethodSource("children")
    void aChildIsSkippedForACycleOrDepthAndOtherwiseRuns(int depth, List<String> path, String repo, String workflow,
                                                          String matcherReason, String expected) {
        // Given a fan-out whose children sit at this depth and path, when a child is placed in it
        FanOutNode fanOut = FanOutNode.newBuilder().setFanOutId("f").setTreeId("t").setParentRunId(null)
                .setEvent(Samples.event("e").build()).setChildDepth(depth).setChildPath(path).build();
        PlannedChild child = PlannedChild.newBuilder().setRunId("r").setSubscriptionId(repo + "/s").setRepo(repo)
                .setWorkflow(workflow).setInputs(Map.of()).setSkippedReason(matcherReason).build();

        // Then it is skipped for the expected reason, or runs
        assertThat(lineage.skipReason(fanOut, child)).isEqualTo(Optional.ofNullable(expected));
    }
}
