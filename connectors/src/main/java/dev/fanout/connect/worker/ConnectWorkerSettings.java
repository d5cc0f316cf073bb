package dev.fanout.connect.worker;

import dev.fanout.connect.FanoutAvroConverter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The worker settings Fanout runs Connect with: string keys, values through {@link FanoutAvroConverter}
 * and the registry, plugins from {@code plugin.path}, {@code ${env:NAME}} in connector settings resolved
 * from the environment, and sink consumers that read only committed records (the pipeline writes its
 * results in transactions; Connect's consumers would otherwise read uncommitted ones).
 */
public final class ConnectWorkerSettings {

    public static final String ENV_PROVIDER_CLASS = "org.apache.kafka.common.config.provider.EnvVarConfigProvider";

    private ConnectWorkerSettings() {
    }

    /**
     * @param restListener such as {@code http://127.0.0.1:8083}; port 0 picks a free one
     * @param offsetsFile  where the standalone worker keeps source connectors' offsets
     */
    public static Map<String, String> of(String bootstrapServers, String registryUrl, Path pluginPath,
                                         Path offsetsFile, String restListener) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
        settings.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        settings.put("value.converter", FanoutAvroConverter.class.getName());
        settings.put("value.converter.schema.registry.url", Objects.requireNonNull(registryUrl, "registryUrl"));
        settings.put("plugin.path", pluginPath.toAbsolutePath().toString());
        // Connect 4.x finds plugins by their ServiceLoader manifests, which Kafka's, Debezium's and Fanout's
        // jars all have: much faster than scanning every class, which matters for a worker started often.
        settings.put("plugin.discovery", "service_load");
        settings.put("offset.storage.file.filename", offsetsFile.toAbsolutePath().toString());
        settings.put("offset.flush.interval.ms", "1000");
        settings.put("listeners", restListener);
        settings.put("config.providers", "env");
        settings.put("config.providers.env.class", ENV_PROVIDER_CLASS);
        settings.put("consumer.isolation.level", "read_committed");
        return settings;
    }
}
