package dev.fanout.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A tree's partition is the one Kafka Streams writes its repartition records to: the producer's keyed choice. */
class TreePartitionsTest {

    @Test
    void isTheJavaProducersPartitionOfTheTreeIdAsAStringKey() {
        try (StringSerializer keys = new StringSerializer()) {
            for (String treeId : new String[] {"t-1", "e7", "tree-ü-42", "", "0123456789abcdef0123456789abcdef"}) {
                for (int partitions : new int[] {1, 3, 12}) {
                    assertThat(TreePartitions.of(treeId, partitions)).as(treeId + " of " + partitions)
                            .isEqualTo(BuiltInPartitioner.partitionForKey(keys.serialize("t", treeId), partitions));
                }
            }
        }
    }

    @Test
    void refusesATopicWithoutPartitions() {
        assertThatThrownBy(() -> TreePartitions.of("t-1", 0)).hasMessageContaining("at least one partition, not 0");
    }
}
