package dev.fanout.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * One map of settings, split for the parts that read it: Kafka clients get everything but Fanout's and
 * the Schema Registry serde's own keys (so the clients don't warn about keys they don't know), the serde
 * gets the whole map, as Confluent's serdes do.
 */
public record ClientSettings(Map<String, Object> all) {

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    public static final String DEFAULT_REGISTRY = "http://127.0.0.1:8081";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

    private static final List<String> NON_KAFKA_PREFIXES = List.of("fanout.", "schema.registry.", "basic.auth.", "bearer.auth.",
            "auto.register.schemas", "use.latest.version", "specific.avro.");

    public ClientSettings {
        all = Map.copyOf(Objects.requireNonNull(all, "all"));
    }

    /** Settings for Admin, producers and consumers. */
    public Map<String, Object> kafka() {
        Map<String, Object> kafka = new HashMap<>();
        all.forEach((k, v) -> {
            if (NON_KAFKA_PREFIXES.stream().noneMatch(k::startsWith)) {
                kafka.put(k, v);
            }
        });
        return kafka;
    }

    /** Settings for the Avro serdes and Fanout itself: the whole map. */
    public Map<String, Object> serde() {
        return all;
    }

    public String bootstrapServers() {
        return String.valueOf(all.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    public String schemaRegistryUrl() {
        return String.valueOf(all.get(SCHEMA_REGISTRY_URL));
    }
}
