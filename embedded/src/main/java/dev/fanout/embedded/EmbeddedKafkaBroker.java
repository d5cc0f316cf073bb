package dev.fanout.embedded;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft combined mode (broker and controller in one process), started from
 * the Kafka jars on Maven Central. It is the local default of {@code fanout dev} and the broker every
 * integration test runs against: a real broker, never a mock.
 *
 * <p>The data directory is formatted on first start and reused afterwards, so a restart on the same
 * directory keeps topics and offsets. Listeners bind to loopback only.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String CLUSTER_ID_FILE = "fanout-cluster-id";

    private final Path dataDir;
    private final String host;
    private final int requestedPort;
    private final int requestedControllerPort;
    private final Map<String, String> overrides;
    private final Duration startupTimeout;
    private final BrokerSecurity security;

    private KafkaRaftServer server;
    private int port;
    private int sslPort;
    private int controllerPort;

    private EmbeddedKafkaBroker(Builder b) {
        this.dataDir = b.dataDir;
        this.host = b.host;
        this.requestedPort = b.port;
        this.requestedControllerPort = b.controllerPort;
        this.overrides = Map.copyOf(b.overrides);
        this.startupTimeout = b.startupTimeout;
        this.security = b.security;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory if it is new, starts the broker and waits until it answers a metadata
     * request. Ports given as 0 are chosen free.
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            throw new IllegalStateException("broker already started on " + bootstrapServers());
        }
        int[] free = freePorts(security == null ? 2 : 3);
        port = requestedPort == 0 ? free[0] : requestedPort;
        controllerPort = requestedControllerPort == 0 ? free[1] : requestedControllerPort;
        sslPort = security == null ? -1 : free[2];
        Path logDir = dataDir.resolve("kraft-logs");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create broker data directory " + logDir
                    + ": " + e.getMessage() + " (choose a writable --data-dir)", e);
        }
        KafkaConfig config = new KafkaConfig(brokerProperties(logDir), false);
        format(logDir);
        KafkaRaftServer raftServer = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            raftServer.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(raftServer);
            throw new IllegalStateException("Kafka broker failed to start on " + host + ":" + port
                    + " with data in " + dataDir + ": " + e.getMessage()
                    + " (is the port in use or the data directory used by another broker?)", e);
        }
        server = raftServer;
        awaitReady();
        if (security == null) {
            log.info("Kafka broker up on {} (controller on {}:{}), data in {}", bootstrapServers(), host,
                    controllerPort, dataDir);
        } else {
            log.info("Kafka broker up with SASL_SSL on {} and mutual TLS on {} (controller on {}:{}), data in {}",
                    bootstrapServers(), sslBootstrapServers(), host, controllerPort, dataDir);
        }
        return this;
    }

    /**
     * The {@code bootstrap.servers} value for clients of this broker: its PLAINTEXT listener, or its
     * SASL_SSL listener when it is {@linkplain Builder#security secured}.
     */
    public String bootstrapServers() {
        if (server == null) {
            throw new IllegalStateException("broker not started");
        }
        return host + ":" + port;
    }

    /** The SSL listener, which requires client certificates; only on a secured broker. */
    public String sslBootstrapServers() {
        if (security == null) {
            throw new IllegalStateException("the broker has no SSL listener: build it with security(...)");
        }
        bootstrapServers();
        return host + ":" + sslPort;
    }

    /**
     * Client properties that reach this broker with every right, for setting up topics, users and ACLs:
     * {@code bootstrap.servers} alone on a plain broker; on a secured one, the SSL listener with the
     * broker's own certificate, which is a super user.
     */
    public Map<String, Object> adminClientProperties() {
        Map<String, Object> p = new HashMap<>();
        if (security == null) {
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        } else {
            p.putAll(security.superUserClientProperties());
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sslBootstrapServers());
        }
        return p;
    }

    public Path dataDir() {
        return dataDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Stops the broker and waits for it to finish; the data directory is kept for the next start. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        shutdownQuietly(server);
        server = null;
        log.info("Kafka broker stopped, data kept in {}", dataDir);
    }

    private Properties brokerProperties(Path logDir) {
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        if (security == null) {
            p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("inter.broker.listener.name", "PLAINTEXT");
        } else {
            p.putAll(security.brokerProperties(host, port, sslPort, controllerPort));
        }
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic must fit on it.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        // Tests and the dev loop start consumer groups constantly; don't make them wait for rebalances.
        p.put("group.initial.rebalance.delay.ms", "0");
        // A killed instance's open transaction blocks read_committed readers of what it wrote until it is
        // aborted: look for timed-out transactions every second, not every 10 s (docs/reliability.md).
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        p.put("auto.create.topics.enable", "false");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        p.put("unstable.api.versions.enable", "false");
        p.putAll(overrides);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    /** Formats the KRaft log directory unless a previous run already did; the cluster id is kept on disk. */
    private void format(Path logDir) {
        try {
            String clusterId = clusterId();
            Formatter formatter = new Formatter();
            if (security != null) {
                formatter.setScramArguments(security.scramArguments());
            }
            formatter
                    .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka data directory " + logDir + ": "
                    + e.getMessage() + " (delete the directory to start afresh)", e);
        }
    }

    private String clusterId() throws IOException {
        Path file = dataDir.resolve(CLUSTER_ID_FILE);
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id);
        return id;
    }

    private void awaitReady() {
        Map<String, Object> conf = adminClientProperties();
        conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) startupTimeout.toMillis());
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        try (Admin admin = Admin.create(conf)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka broker on " + bootstrapServers()
                                + " did not become ready within " + startupTimeout, e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka broker on " + bootstrapServers()
                            + " did not become ready within " + startupTimeout);
                }
            }
        }
    }

    private static void shutdownQuietly(KafkaRaftServer s) {
        try {
            s.shutdown();
            s.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("error while stopping the Kafka broker", e);
        }
    }

    /**
     * Distinct free ports: the sockets are all held open until every port is chosen, or the system could
     * hand the same port out twice (it did: both listeners on one port).
     */
    private int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket();
                sockets[i].setReuseAddress(true);
                sockets[i].bind(new InetSocketAddress(host, 0));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // nothing listens on it
                    }
                }
            }
        }
    }

    /** Options for an {@link EmbeddedKafkaBroker}; everything has a loopback-friendly default. */
    public static final class Builder {
        private Path dataDir;
        private String host = "127.0.0.1";
        private int port = 9092;
        private int controllerPort = 0;
        private final Map<String, String> overrides = new HashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);
        private BrokerSecurity security;

        private Builder() {
        }

        /**
         * Makes the client port a SASL_SSL listener (SCRAM-SHA-512), adds an SSL listener that requires
         * client certificates ({@link EmbeddedKafkaBroker#sslBootstrapServers()}), and turns ACLs on.
         */
        public Builder security(BrokerSecurity security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /** Where the broker keeps its logs; reused across restarts. Required. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Client port; 0 picks a free one. Default 9092. */
        public Builder port(int port) {
            this.port = checkPort(port, "port");
            return this;
        }

        /** KRaft controller port; 0 (the default) picks a free one. */
        public Builder controllerPort(int controllerPort) {
            this.controllerPort = checkPort(controllerPort, "controllerPort");
            return this;
        }

        /** A broker property that replaces the default, such as {@code log.retention.ms}. */
        public Builder brokerProperty(String key, String value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public EmbeddedKafkaBroker build() {
            if (dataDir == null) {
                throw new IllegalStateException("dataDir is required: where should the broker keep its data?");
            }
            return new EmbeddedKafkaBroker(this);
        }

        private static int checkPort(int port, String name) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(name + " " + port + " is not a TCP port: use 0-65535 (0 = any free port)");
            }
            return port;
        }
    }
}
