package dev.fanout.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.config.FanoutConfig;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

/** Every RocksDB store of an instance draws on one memory budget. */
class BoundedRocksDbMemoryTest {

    private final BoundedRocksDbMemory setter = new BoundedRocksDbMemory();

    @Test
    void twoStoresShareOneWriteBufferManagerAndCacheIndexBlocksInTheSharedCache() {
        Map<String, Object> configs = Map.of(FanoutConfig.ROCKSDB_MEMORY_BYTES, 64L * 1024 * 1024);
        try (Options runs = withTable(); Options timers = withTable()) {
            // When two stores are configured with the same budget
            setter.setConfig("tree.runs", runs, configs);
            setter.setConfig("tree.timers", timers, configs);

            // Then they share the write-buffer manager, and index and filter blocks are charged to the cache
            assertThat(runs.writeBufferManager()).isNotNull().isSameAs(timers.writeBufferManager());
            assertThat(((BlockBasedTableConfig) runs.tableFormatConfig()).cacheIndexAndFilterBlocks()).isTrue();
        }
    }

    @Test
    void fanoutSetsItAsTheRocksDbConfigSetterUnlessTheUserChoseOne() {
        assertThat(StreamsSettings.of(Map.of()).get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))
                .isEqualTo(BoundedRocksDbMemory.class);
        assertThat(StreamsSettings.of(Map.of(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, "com.acme.Mine"))
                .get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo("com.acme.Mine");
    }

    private static Options withTable() {
        return new Options().setTableFormatConfig(new BlockBasedTableConfig());
    }
}
