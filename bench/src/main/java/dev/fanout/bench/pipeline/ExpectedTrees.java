package dev.fanout.bench.pipeline;

import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.TreeDone;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trees a scenario sent and what each must end with: every child succeeds, so a tree of n children must
 * end SUCCEEDED with {@code total = succeeded = n} and nothing failed, timed out or skipped, in exactly one
 * {@code TreeDone}. A tree that ends otherwise, a second {@code TreeDone}, or one for a tree never sent is
 * an error naming the tree, what was expected and what came; a tree still missing is named by
 * {@link #missing}. A bench that counted {@code TreeDone}s alone would time a pipeline that drops children.
 */
final class ExpectedTrees {

    private static final int NAMED = 5;

    /** Children per tree not done yet; a tree leaves it when its TreeDone is read, right or wrong. */
    private final Map<String, Long> outstanding = new ConcurrentHashMap<>();
    private final Set<String> done = ConcurrentHashMap.newKeySet();

    /** Registers a tree before its event is sent (its tree id is the event's id). */
    void expect(String treeId, long children) {
        if (children < 0) {
            throw new IllegalArgumentException("tree " + treeId + " cannot have " + children + " children");
        }
        if (done.contains(treeId) || outstanding.putIfAbsent(treeId, children) != null) {
            throw new IllegalArgumentException("tree " + treeId + " is expected twice: give every event an id of its own");
        }
    }

    /** Checks one {@code TreeDone}: empty when it is what the tree was designed to end with, else why not. */
    Optional<String> accept(TreeDone tree) {
        String id = tree.getTreeId();
        Long children = outstanding.remove(id);
        if (children == null) {
            return Optional.of(done.contains(id)
                    ? "tree " + id + " ended twice: a second TreeDone " + describe(tree) + " came after the first"
                    : "a TreeDone came for tree " + id + ", which the bench never sent: " + describe(tree));
        }
        done.add(id);
        Counts c = tree.getCounts();
        boolean right = tree.getStatus() == CompletionStatus.SUCCEEDED && c.getTotal() == children
                && c.getSucceeded() == children && c.getFailed() == 0 && c.getTimedOut() == 0 && c.getSkipped() == 0;
        if (right) {
            return Optional.empty();
        }
        return Optional.of("tree " + id + " ended " + describe(tree) + ", but the bench sent it " + children
                + " children that all succeed: expected SUCCEEDED, total " + children + ", succeeded " + children
                + ", failed 0, timed out 0, skipped 0");
    }

    /** Trees sent whose TreeDone has not been read. */
    int outstanding() {
        return outstanding.size();
    }

    /** The trees still missing, the first few named with their children, for a timeout's message. */
    String missing() {
        List<String> some = new ArrayList<>();
        for (Map.Entry<String, Long> e : outstanding.entrySet()) {
            if (some.size() == NAMED) {
                some.add("...");
                break;
            }
            some.add(e.getKey() + " (" + e.getValue() + " children)");
        }
        return outstanding.size() + " tree" + (outstanding.size() == 1 ? "" : "s") + " without a TreeDone: "
                + String.join(", ", some);
    }

    private static String describe(TreeDone tree) {
        Counts c = tree.getCounts();
        return tree.getStatus() + " with total " + c.getTotal() + ", succeeded " + c.getSucceeded() + ", failed "
                + c.getFailed() + ", timed out " + c.getTimedOut() + ", skipped " + c.getSkipped()
                + (tree.getFailures().isEmpty() ? "" : ", first failure " + tree.getFailures().get(0));
    }
}
