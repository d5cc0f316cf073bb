package dev.fanout.cli;

import dev.fanout.connect.worker.ConnectWorker;
import dev.fanout.connect.worker.ConnectWorkerSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "connect", mixinStandardHelpOptions = true,
        description = {"Run a Kafka Connect worker in this process with the given connector configurations, "
                + "until Ctrl-C.",
                "Values are read with Fanout's Avro converter and the Schema Registry; ${env:NAME} in a "
                        + "configuration is taken from the environment. The shipped configurations are in "
                        + "connectors/ (tree-done-postgres.properties, fanout-done-postgres.properties, "
                        + "tree-done-jsonl.properties)."})
public final class ConnectCommand implements Callable<Integer> {

    static final String PLUGINS_IN_CHECKOUT = "connectors/target/connect-plugins";
    private static final long STOP_TIMEOUT_SECONDS = 60;
    private static final List<String> SECURITY_PREFIXES = List.of("security.", "sasl.", "ssl.");
    private static final List<String> REGISTRY_PREFIXES = List.of("schema.registry.", "basic.auth.");

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(arity = "1..*", paramLabel = "CONFIG",
            description = "Connector properties files, such as connectors/tree-done-postgres.properties.")
    List<Path> configs;

    @Option(names = "--plugin-path", paramLabel = "DIR",
            description = "Connect's plugin.path (default: " + PLUGINS_IN_CHECKOUT + " of this checkout, which "
                    + "the build fills with Fanout's converter and Debezium's JDBC sink).")
    Path pluginPath;

    @Option(names = "--rest-port", paramLabel = "PORT", defaultValue = "8083",
            description = "Port of the worker's REST API on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any free port).")
    int restPort;

    @Option(names = "--offsets-file", paramLabel = "FILE",
            description = "Where source connectors' offsets are kept (default: connect.offsets in $FANOUT_HOME, "
                    + "else .fanout). Sink connectors keep theirs in Kafka.")
    Path offsetsFile;

    /** Counted down by Ctrl-C (or SIGTERM); the main thread then stops the worker. */
    private final CountDownLatch stop = new CountDownLatch(1);
    /** Counted down once the worker is closed, so the shutdown hook keeps the JVM alive until then. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, String>> connectors = new ArrayList<>();
        for (Path config : configs) {
            connectors.add(connector(config));
        }
        Path plugins = pluginPath != null ? pluginPath : defaultPluginPath();
        if (!Files.isDirectory(plugins)) {
            throw new CliException("--plugin-path " + plugins + " is not a directory: build the plugins with "
                    + "./mvnw -pl connectors -am package -DskipTests (./fanout does it when it builds), or give the "
                    + "plugin.path of your Connect installation");
        }
        if (restPort < 0 || restPort > 65535) {
            throw new CliException("--rest-port " + restPort + " is not a port: use 0 to 65535");
        }
        Path offsets = offsetsFile != null ? offsetsFile : DevCommand.defaultDataDir().resolve("connect.offsets");
        Files.createDirectories(offsets.toAbsolutePath().getParent());
        ClientSettings settings = connection.settings();
        Map<String, String> worker = workerSettings(settings, plugins, offsets, restPort);

        out.println("Starting a Kafka Connect worker on " + settings.bootstrapServers() + " (plugins from "
                + plugins.toAbsolutePath().normalize() + ") ...");
        out.flush();
        ConnectWorker connect;
        try {
            connect = ConnectWorker.start(worker);
        } catch (RuntimeException e) {
            throw new CliException("the Connect worker did not start on " + settings.bootstrapServers() + ": "
                    + FanoutCli.describe(e) + "; is the cluster up (./fanout dev) and --bootstrap-server right?", e);
        }
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fanout-connect-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean interrupted = false;
        try {
            for (Map<String, String> connector : connectors) {
                try {
                    connect.putConnector(connector);
                } catch (IllegalArgumentException e) {
                    throw new CliException(e.getMessage(), e);
                }
                out.printf("  connector %-32s status: curl %s%n", connector.get("name"),
                        connect.statusUrl(connector.get("name")));
            }
            out.println("Kafka Connect REST API at " + connect.restUrl() + ". Press Ctrl-C to stop.");
            out.flush();
            try {
                stop.await();
            } catch (InterruptedException e) {
                // stopped by whoever runs the command in-process, as Ctrl-C would; the worker must stop
                // uninterrupted (its tasks commit their offsets), so the flag is restored only after
                interrupted = true;
            }
            out.println("Stopping ...");
            out.flush();
        } finally {
            connect.close();
            out.println("Stopped.");
            out.flush();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting through the hook
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }

    /**
     * Fanout's worker settings on the cluster of {@code settings}: its security settings for the worker and
     * its clients, its registry settings for the value converter.
     */
    static Map<String, String> workerSettings(ClientSettings settings, Path plugins, Path offsets, int restPort) {
        Map<String, String> worker = new LinkedHashMap<>(ConnectWorkerSettings.of(settings.bootstrapServers(),
                settings.schemaRegistryUrl(), plugins, offsets, "http://127.0.0.1:" + restPort));
        settings.all().forEach((key, value) -> {
            if (SECURITY_PREFIXES.stream().anyMatch(key::startsWith)) {
                for (String client : List.of("", "producer.", "consumer.", "admin.")) {
                    worker.put(client + key, String.valueOf(value));
                }
            }
            if (REGISTRY_PREFIXES.stream().anyMatch(key::startsWith)) {
                worker.put("value.converter." + key, String.valueOf(value));
            }
        });
        return worker;
    }

    private static Map<String, String> connector(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new CliException("connector configuration " + file + ": no such file; give the path of a "
                    + "connector properties file, such as connectors/tree-done-postgres.properties");
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("connector configuration " + file + ": cannot read it as a properties file ("
                    + e.getMessage() + "); use key=value lines");
        }
        Map<String, String> connector = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> connector.put(key, properties.getProperty(key).trim()));
        for (String required : List.of("name", "connector.class")) {
            if (connector.getOrDefault(required, "").isBlank()) {
                throw new CliException("connector configuration " + file + " has no " + required + ": add a "
                        + required + "=... line (see connectors/tree-done-postgres.properties)");
            }
        }
        return connector;
    }

    /** connectors/target/connect-plugins of the checkout this jar was built in, else of the working directory. */
    private static Path defaultPluginPath() {
        try {
            // cli/target/fanout.jar (or cli/target/classes) -> the checkout's root
            Path jar = Path.of(ConnectCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path cliModule = jar.getParent() == null ? null : jar.getParent().getParent();
            if (cliModule != null && cliModule.getParent() != null) {
                Path candidate = cliModule.getParent().resolve(PLUGINS_IN_CHECKOUT);
                if (Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // not run from a jar in a checkout: fall back to the working directory
        }
        return Path.of(PLUGINS_IN_CHECKOUT);
    }
}
