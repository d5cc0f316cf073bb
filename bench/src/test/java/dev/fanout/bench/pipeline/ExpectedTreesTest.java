package dev.fanout.bench.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.TreeDone;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectedTreesTest {

    @Test
    void aTreeThatEndsWithEveryChildSucceededIsRight() {
        ExpectedTrees trees = new ExpectedTrees();
        trees.expect("tree-1", 100);

        assertThat(trees.accept(done("tree-1", CompletionStatus.SUCCEEDED, 100, 100, 0))).isEmpty();
        assertThat(trees.outstanding()).isZero();
    }

    @Test
    void aTreeThatEndsShortIsAnErrorNamingTheTreeTheExpectedAndTheActualCounts() {
        ExpectedTrees trees = new ExpectedTrees();
        trees.expect("tree-1", 100);

        assertThat(trees.accept(done("tree-1", CompletionStatus.SUCCEEDED, 99, 99, 0))).hasValueSatisfying(error ->
                assertThat(error).contains("tree tree-1 ended SUCCEEDED with total 99, succeeded 99, failed 0")
                        .contains("expected SUCCEEDED, total 100, succeeded 100, failed 0"));
    }

    @Test
    void aTreeWithAFailedChildIsAnErrorEvenWhenItsTotalIsRight() {
        ExpectedTrees trees = new ExpectedTrees();
        trees.expect("tree-1", 10);

        assertThat(trees.accept(done("tree-1", CompletionStatus.FAILED, 10, 9, 1))).hasValueSatisfying(error ->
                assertThat(error).contains("tree tree-1 ended FAILED with total 10, succeeded 9, failed 1"));
    }

    @Test
    void aSecondTreeDoneForATreeIsAnError() {
        ExpectedTrees trees = new ExpectedTrees();
        trees.expect("tree-1", 10);
        trees.accept(done("tree-1", CompletionStatus.SUCCEEDED, 10, 10, 0));

        assertThat(trees.accept(done("tree-1", CompletionStatus.SUCCEEDED, 10, 10, 0)))
                .hasValueSatisfying(error -> assertThat(error).startsWith("tree tree-1 ended twice"));
    }

    @Test
    void aTreeDoneForATreeNeverSentIsAnError() {
        assertThat(new ExpectedTrees().accept(done("stray", CompletionStatus.SUCCEEDED, 1, 1, 0)))
                .hasValueSatisfying(error -> assertThat(error).contains("tree stray, which the bench never sent"));
    }

    @Test
    void theTreesWithoutATreeDoneAreNamed() {
        ExpectedTrees trees = new ExpectedTrees();
        trees.expect("tree-1", 10);
        trees.expect("tree-2", 10);
        trees.accept(done("tree-1", CompletionStatus.SUCCEEDED, 10, 10, 0));

        assertThat(trees.outstanding()).isEqualTo(1);
        assertThat(trees.missing()).isEqualTo("1 tree without a TreeDone: tree-2 (10 children)");
    }

    @Test
    void aTreeCannotBeExpectedTwice() {
        ExpectedTrees trees = new ExpectedTrees();
        trees.expect("tree-1", 10);

        assertThatThrownBy(() -> trees.expect("tree-1", 10)).hasMessageContaining("tree tree-1 is expected twice");
    }

    private static TreeDone done(String treeId, CompletionStatus status, long total, long succeeded, long failed) {
        return TreeDone.newBuilder()
                .setTreeId(treeId)
                .setArtifact("completions:bench")
                .setStatus(status)
                .setCounts(Counts.newBuilder().setTotal(total).setSucceeded(succeeded).setFailed(failed).build())
                .setStartedAt(Instant.EPOCH)
                .setFinishedAt(Instant.EPOCH)
                .setFailures(List.of())
                .build();
    }
}
