package dev.fanout.contract;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition that a tree's records live on: the Java producer's default partition of the tree id as a
 * UTF-8 string key ({@code murmur2}, as {@code BuiltInPartitioner.partitionForKey}), which is where Kafka Streams
 * writes the tree stage's repartition topics. A worker that writes a run's reports to this partition of the
 * run-status topic saves them a hop through the broker (docs/wire-contract.md).
 */
public final class TreePartitions {

    private TreePartitions() {
    }

    /** The partition of {@code treeId} among {@code partitions}. */
    public static int of(String treeId, int partitions) {
        Objects.requireNonNull(treeId, "treeId");
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic has at least one partition, not " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(treeId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
