package dev.fanout.app;

import dev.fanout.config.FanoutConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every RocksDB store of the instance by one budget ({@code fanout.rocksdb.memory.bytes}):
 * one block cache shared by all stores, holding index and filter blocks too, and the memtables charged to
 * that same cache by a shared write-buffer manager. Without it each store (and there is one per store per
 * task) takes its own cache and memtables, and memory grows with the partition count.
 *
 * <p>Streams creates a setter per store and gives it only the configuration map, so the shared cache
 * lives in a static map keyed by budget: that is Kafka's own documented pattern for this setter. It is
 * never closed, since stores of the same instance come and go with rebalances.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** Share of the budget the memtables may take; the rest caches blocks. */
    private static final double WRITE_BUFFER_SHARE = 0.5;
    private static final double HIGH_PRIORITY_SHARE = 0.1;

    private static final Map<Long, Shared> SHARED = new ConcurrentHashMap<>();

    private record Shared(Cache cache, WriteBufferManager writeBuffers) {
        static Shared of(long budget) {
            Cache cache = new LRUCache(budget, -1, false, HIGH_PRIORITY_SHARE);
            return new Shared(cache, new WriteBufferManager((long) (budget * WRITE_BUFFER_SHARE), cache));
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long budget = new FanoutConfig(configs).rocksDbMemoryBytes();
        Shared shared = SHARED.computeIfAbsent(budget, Shared::of);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
        options.setWriteBufferManager(shared.writeBuffers());
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write-buffer manager are shared by the instance's stores: not closed per store.
    }
}
