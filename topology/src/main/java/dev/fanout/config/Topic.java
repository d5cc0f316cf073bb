package dev.fanout.config;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/** A topic of the contract with the serdes its keys and values travel in. */
public record Topic<K, V>(TopicSpec spec, Serde<K> keySerde, Serde<V> valueSerde, Class<V> valueType) {
    public Topic {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        Objects.requireNonNull(valueType, "valueType");
    }

    public String name() {
        return spec.name();
    }
}
