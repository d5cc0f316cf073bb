package dev.fanout.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.connect.transforms.FieldsToJson;
import dev.fanout.connect.transforms.ValueToJson;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.connect.runtime.isolation.PluginClassLoader;
import org.apache.kafka.connect.runtime.isolation.PluginDesc;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.junit.jupiter.api.Test;

/**
 * The plugin directories the build makes (target/connect-plugins) load into Connect's plugin isolation as
 * any Connect 4.x worker would load them from its plugin.path.
 */
class ConnectPluginIT {

    private static final Path PLUGIN_PATH = Path.of("target/connect-plugins");

    @Test
    void theConverterAndTransformsLoadFromThePluginJarInTheirOwnClassLoader() throws Exception {
        // Given a worker's plugin scan of the build's plugin directory (service manifests only, as Connect 4 prefers)
        Plugins plugins = new Plugins(Map.of("plugin.path", PLUGIN_PATH.toAbsolutePath().toString(),
                "plugin.discovery", "service_load"));

        // When the converter and the transforms are looked up
        // Then each comes from the plugin jar, through an isolated class loader
        Set<String> transforms = isolated(plugins.transformations()).stream().map(PluginDesc::className)
                .collect(Collectors.toSet());
        assertThat(transforms).contains(FieldsToJson.class.getName(), ValueToJson.class.getName());
        PluginDesc<?> description = isolated(plugins.converters()).stream()
                .filter(d -> d.className().equals(FanoutAvroConverter.class.getName())).findFirst().orElseThrow();
        ClassLoader loader = description.loader();
        assertThat(loader).isInstanceOf(PluginClassLoader.class);
        Class<?> converter = loader.loadClass(FanoutAvroConverter.class.getName());
        assertThat(converter).isNotSameAs(FanoutAvroConverter.class);
        assertThat(converter.getProtectionDomain().getCodeSource().getLocation().getPath())
                .contains("connect-plugins/fanout-connect/fanout-connect-").endsWith(".jar");
        // and the jar brings its own registry client and Avro, not the worker's
        assertThat(Class.forName("dev.fanout.registry.client.RestSchemaRegistryClient", false, loader).getClassLoader())
                .isSameAs(converter.getClassLoader());
    }

    @Test
    void debeziumsJdbcSinkAndThePostgresqlDriverFormAPluginOfTheirOwn() {
        // Given the same scan
        Plugins plugins = new Plugins(Map.of("plugin.path", PLUGIN_PATH.toAbsolutePath().toString(),
                "plugin.discovery", "service_load"));

        // When the sink connectors are listed
        // Then Debezium's JDBC sink is one, found only in the debezium-connector-jdbc directory (the integration
        // tests run without it on their class path, so the worker loads it as a user's worker would)
        assertThat(plugins.sinkConnectors()).filteredOn(d -> d.className().equals("io.debezium.connector.jdbc.JdbcSinkConnector"))
                .singleElement().satisfies(d -> {
                    assertThat(d.location()).contains("connect-plugins/debezium-connector-jdbc");
                    assertThat(d.loader()).isInstanceOf(PluginClassLoader.class);
                });
    }

    private static <T> Set<PluginDesc<T>> isolated(Set<PluginDesc<T>> descriptions) {
        return descriptions.stream().filter(d -> d.location().contains("connect-plugins/fanout-connect"))
                .collect(Collectors.toSet());
    }
}
