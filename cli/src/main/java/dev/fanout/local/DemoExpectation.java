package dev.fanout.local;

import dev.fanout.avro.Counts;
import dev.fanout.avro.TreeDone;
import dev.fanout.worker.demo.DemoWorkers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Compares the demo tree's {@code TreeDone} with what the demo is designed to end with, in words. */
public final class DemoExpectation {

    private DemoExpectation() {
    }

    /** Each way {@code done} differs from {@code expected}, such as {@code "succeeded is 7, not 8"}; empty when none. */
    public static List<String> differences(TreeDone done, DemoWorkers.Expected expected) {
        Objects.requireNonNull(done, "done");
        Objects.requireNonNull(expected, "expected");
        Counts c = done.getCounts();
        List<String> differences = new ArrayList<>();
        if (done.getStatus() != expected.status()) {
            differences.add("the status is " + done.getStatus() + ", not " + expected.status());
        }
        compare("children", c.getTotal(), expected.total(), differences);
        compare("succeeded", c.getSucceeded(), expected.succeeded(), differences);
        compare("failed", c.getFailed(), expected.failed(), differences);
        compare("skipped", c.getSkipped(), expected.skipped(), differences);
        compare("retries", c.getRetries(), expected.retries(), differences);
        compare("compensated", c.getCompensated(), expected.compensated(), differences);
        if (c.getFailed() != expected.failed() || expected.failed() == 0) {
            done.getFailures().forEach(f -> differences.add("failed: " + f.getSubscriptionId() + " (" + f.getRunId()
                    + "): " + f.getError()));
        }
        return differences;
    }

    /** {@code SUCCEEDED, 9 children, 8 succeeded, 0 failed, 1 skipped, 1 retry}. */
    public static String describe(DemoWorkers.Expected e) {
        return e.status() + ", " + e.total() + " children, " + e.succeeded() + " succeeded, " + e.failed() + " failed, "
                + e.skipped() + " skipped, " + e.retries() + (e.retries() == 1 ? " retry" : " retries")
                + (e.compensated() > 0 ? ", " + e.compensated() + " compensated" : "");
    }

    private static void compare(String what, long actual, long expected, List<String> differences) {
        if (actual != expected) {
            differences.add(what + " is " + actual + ", not " + expected);
        }
    }
}
