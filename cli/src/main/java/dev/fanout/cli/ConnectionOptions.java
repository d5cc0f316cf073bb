package dev.fanout.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where the cluster and the registry are. Flags win over the {@code --config} file, which wins over the
 * local defaults, so the same command works on {@code fanout dev} and on a secured production cluster.
 */
public final class ConnectionOptions {

    @Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: " + ClientSettings.DEFAULT_BOOTSTRAP + ").")
    String bootstrapServer;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Schema Registry URL(s), comma-separated (default: " + ClientSettings.DEFAULT_REGISTRY + ").")
    String schemaRegistryUrl;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Kafka client properties (security settings included), schema.registry.* and fanout.* keys.")
    Path configFile;

    public ClientSettings settings() {
        Map<String, Object> all = new HashMap<>();
        all.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, ClientSettings.DEFAULT_BOOTSTRAP);
        all.put(ClientSettings.SCHEMA_REGISTRY_URL, ClientSettings.DEFAULT_REGISTRY);
        if (configFile != null) {
            all.putAll(load(configFile));
        }
        if (bootstrapServer != null) {
            all.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        }
        if (schemaRegistryUrl != null) {
            all.put(ClientSettings.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        }
        return new ClientSettings(all);
    }

    static Map<String, String> load(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (NoSuchFileException e) {
            throw new CliException("--config " + file + ": no such file; give the path of a Kafka client "
                    + "properties file");
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("--config " + file + ": cannot read it as a properties file (" + e.getMessage()
                    + "); use key=value lines as in Kafka's client.properties");
        }
        Map<String, String> map = new HashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k).trim()));
        return map;
    }
}
