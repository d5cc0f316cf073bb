package dev.fanout.tree;

import dev.fanout.avro.RunStatus;
import dev.fanout.contract.TreePartitions;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Tells a worker's report that was written to its tree's partition of the run-status topic from one that was
 * not. The first is already where the tree coordinator of its tree reads, and goes to it directly; the second
 * is re-keyed by tree id through {@code tree.statuses-by-tree}, as every report once was. The worker SDK writes
 * each report to its tree's partition ({@link TreePartitions}); a client that keys its reports by run id and
 * lets its producer pick the partition is served as before, one hop later.
 *
 * <p>A run's reports all come from one worker, on one partition, so they take one route and stay in order.
 */
final class StatusRoutes implements FixedKeyProcessor<String, RunStatus, StatusRoutes.Routed> {

    /** A report, and whether it is on its tree's partition already. */
    record Routed(RunStatus status, boolean onTreePartition) {
    }

    private final int partitions;
    private FixedKeyProcessorContext<String, Routed> context;

    /** @param partitions the tree stage's partition count: of the plans' and the statuses' repartition topics */
    StatusRoutes(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, RunStatus> record) {
        RunStatus status = record.value();
        int partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
        boolean local = partition >= 0 && partition < partitions
                && TreePartitions.of(status.getTreeId(), partitions) == partition;
        context.forward(record.withValue(new Routed(status, local)));
    }
}
