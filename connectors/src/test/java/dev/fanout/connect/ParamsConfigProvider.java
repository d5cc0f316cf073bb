package dev.fanout.connect;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;

/**
 * Stands in for Kafka's {@code EnvVarConfigProvider} under the same prefix ({@code ${env:NAME}}) in tests:
 * a JVM cannot set its own environment, so the values come from the worker settings
 * {@code config.providers.env.param.NAME}. The shipped connector files are used unchanged.
 */
public final class ParamsConfigProvider implements ConfigProvider {

    private Map<String, String> values = Map.of();

    @Override
    public void configure(Map<String, ?> configs) {
        values = configs.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }

    @Override
    public ConfigData get(String path) {
        return new ConfigData(values);
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        return new ConfigData(values.entrySet().stream().filter(e -> keys.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Override
    public void close() {
    }
}
