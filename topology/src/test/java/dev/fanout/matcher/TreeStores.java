package dev.fanout.matcher;

import dev.fanout.avro.internal.RunNode;
import dev.fanout.config.TopologyNames;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** Reads the tree stage's stores in a test driver. */
final class TreeStores {

    private TreeStores() {
    }

    static List<RunNode> runsOf(TopologyTestDriver driver) {
        KeyValueStore<String, RunNode> store = driver.getKeyValueStore(TopologyNames.TREE_RUNS);
        List<RunNode> runs = new ArrayList<>();
        try (KeyValueIterator<String, RunNode> all = store.all()) {
            all.forEachRemaining(entry -> runs.add(entry.value));
        }
        return runs;
    }
}
