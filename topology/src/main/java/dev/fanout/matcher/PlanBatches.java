package dev.fanout.matcher;

import dev.fanout.avro.internal.PlannedChild;
import dev.fanout.avro.internal.PlannedChildren;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cuts a plan's children, in order, into {@link PlannedChildren} records of at most {@link #MAX_CHILDREN}
 * children and about {@link #MAX_BYTES} of text, so that a wide fan-out crosses the repartition topic
 * as one record per hundred children instead of one per child, well under the broker's 1 MB record limit.
 * Records stay small because the tree stage buffers up to {@code buffered.records.per.partition} (1,000)
 * of them per partition: at 64 KB that is at most 64 MB of a 1,000,000-child plan waiting in memory.
 *
 * <p>Each record costs the pipeline a fixed amount whatever it carries (a send, a fetch, a pass through
 * the tree coordinator, which also writes its fan-out and tree once per record); paid once per child it
 * was a large share of the topology's time per child in the benchmarks (docs/benchmarks.md).
 */
final class PlanBatches {

    /** Children per record at most. */
    static final int MAX_CHILDREN = 100;
    /** Characters of text per record at most (a single child larger than this travels alone). */
    static final int MAX_BYTES = 64 * 1024;

    private PlanBatches() {
    }

    static List<PlannedChildren> of(List<PlannedChild> children) {
        List<PlannedChildren> batches = new ArrayList<>();
        List<PlannedChild> batch = new ArrayList<>();
        long bytes = 0;
        for (PlannedChild child : children) {
            long size = size(child);
            if (!batch.isEmpty() && (batch.size() == MAX_CHILDREN || bytes + size > MAX_BYTES)) {
                batches.add(new PlannedChildren(batch));
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(child);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            batches.add(new PlannedChildren(batch));
        }
        return batches;
    }

    /** The child's text, counted in chars: its Avro size within a small factor for any JSON. */
    static long size(PlannedChild child) {
        long size = 16 + length(child.getRunId()) + length(child.getSubscriptionId()) + length(child.getRepo())
                + length(child.getWorkflow()) + length(child.getItem()) + length(child.getSkippedReason());
        for (Map.Entry<String, String> input : child.getInputs().entrySet()) {
            size += 2 + length(input.getKey()) + length(input.getValue());
        }
        return size;
    }

    private static int length(CharSequence text) {
        return text == null ? 0 : text.length();
    }
}
