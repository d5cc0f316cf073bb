package dev.fanout.config;

import java.util.Map;
import java.util.Objects;

/**
 * How a topic of the contract is created: its full name (prefix applied), whether it is compacted, and
 * any further topic configs.
 */
public record TopicSpec(String name, boolean compacted, Map<String, String> configs) {
    public TopicSpec {
        Objects.requireNonNull(name, "name");
        configs = Map.copyOf(configs);
    }

    /** Topic-level configs to create the topic with, cleanup policy included. */
    public Map<String, String> createConfigs() {
        var all = new java.util.HashMap<>(configs);
        all.put("cleanup.policy", compacted ? "compact" : "delete");
        return Map.copyOf(all);
    }
}
