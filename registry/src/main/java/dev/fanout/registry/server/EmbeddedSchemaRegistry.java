package dev.fanout.registry.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Schema Registry that speaks the Confluent REST API (the subset serializers and tooling use), keeps
 * its schemas in a compacted Kafka topic like Confluent's, and checks Avro compatibility. It is Fanout's
 * local default; in production point {@code schema.registry.url} at any Confluent-compatible registry.
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
 *         .bootstrapServers("127.0.0.1:9092").port(0).build().start()) {
 *     String url = registry.url(); // e.g. http://127.0.0.1:49213
 * }
 * }</pre>
 *
 * <p>Ids and versions survive restarts: on start the registry replays its topic before it serves. Only
 * one registry may write to a topic at a time; it does not elect a leader as Confluent's does.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    private final KafkaSchemaStore.Settings storeSettings;
    private final String host;
    private final int port;
    private final Optional<RegistryTls> tls;
    private final BasicAuth basicAuth;

    private KafkaSchemaStore store;
    private RegistryHttpServer http;

    private EmbeddedSchemaRegistry(Builder b) {
        this.storeSettings = new KafkaSchemaStore.Settings(b.bootstrapServers, b.topic, b.replicationFactor,
                b.kafkaProperties, b.startupTimeout, b.operationTimeout);
        this.host = b.host;
        this.port = b.port;
        this.tls = Optional.ofNullable(b.tls);
        this.basicAuth = new BasicAuth(b.users);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Prepares and replays the schemas topic, then starts serving HTTP.
     *
     * @throws IllegalStateException when Kafka cannot be reached or the topic is unfit, within the startup
     *     timeout, or when the registry is already started
     * @throws java.io.UncheckedIOException when the HTTP port cannot be bound
     */
    public synchronized EmbeddedSchemaRegistry start() {
        if (store != null) {
            throw new IllegalStateException("schema registry already started at " + url());
        }
        KafkaSchemaStore opened = KafkaSchemaStore.open(storeSettings);
        try {
            http = RegistryHttpServer.start(host, port, new RegistryApi(new Registry(opened)).router(), tls, basicAuth);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        store = opened;
        log.info("schema registry serving {} from topic '{}' on {}{}{}", url(), storeSettings.topic(),
                storeSettings.bootstrapServers(), tls.map(t -> ", client certificates " + t.clientAuthentication())
                        .orElse(""), basicAuth.isOn() ? ", basic auth required" : "");
        return this;
    }

    /** The base URL clients use as {@code schema.registry.url}, with the port actually bound. */
    public synchronized String url() {
        if (http == null) {
            throw new IllegalStateException("schema registry not started");
        }
        InetSocketAddress address = http.address();
        InetAddress bound = address.getAddress();
        // A registry listening on every interface is reachable on loopback.
        String urlHost = bound.isAnyLocalAddress() ? InetAddress.getLoopbackAddress().getHostAddress()
                : bound.getHostAddress();
        try {
            return new URI(http.isHttps() ? "https" : "http", null, urlHost, address.getPort(), null, null, null)
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no URL for " + address, e);
        }
    }

    /** The Kafka topic holding the schemas. */
    public String topic() {
        return storeSettings.topic();
    }

    /** Stops serving, then stops reading and writing the topic. The topic keeps everything. */
    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
            http = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    /** Options of an {@link EmbeddedSchemaRegistry}; only the bootstrap servers are required. */
    public static final class Builder {
        private String bootstrapServers;
        private String host = "127.0.0.1";
        private int port = 8081;
        private String topic = "_schemas";
        private short replicationFactor = 1;
        private final Map<String, Object> kafkaProperties = new HashMap<>();
        private Duration startupTimeout = Duration.ofSeconds(60);
        private Duration operationTimeout = Duration.ofSeconds(10);
        private RegistryTls tls;
        private final Map<String, Password> users = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Settings under Confluent Schema Registry's names ({@link RegistryServerConfig}): the store's
         * {@code kafkastore.bootstrap.servers}, {@code kafkastore.topic} and Kafka client settings
         * ({@code kafkastore.security.protocol}, {@code kafkastore.sasl.jaas.config}, ...), HTTPS
         * ({@code ssl.*}) and basic auth ({@code authentication.method=BASIC}).
         *
         * @throws org.apache.kafka.common.config.ConfigException naming the setting when one is wrong
         */
        public Builder config(Map<String, ?> properties) {
            RegistryServerConfig config = new RegistryServerConfig(properties);
            bootstrapServers(config.bootstrapServers());
            topic(config.topic());
            replicationFactor(config.replicationFactor());
            kafkaProperties(config.storeClientProperties());
            config.tls().ifPresent(this::https);
            config.basicAuthUsers().forEach(this::basicAuthUser);
            return this;
        }

        /** Serve HTTPS only, with this key and certificate, and client certificates as {@code tls} says. */
        public Builder https(RegistryTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** Require HTTP basic auth on every request; this user is one that may pass. */
        public Builder basicAuthUser(String user, Password password) {
            Objects.requireNonNull(user, "user");
            if (user.isBlank() || user.contains(":")) {
                throw new IllegalArgumentException("basic auth user '" + user + "': give a name without ':'");
            }
            users.put(user, Objects.requireNonNull(password, "password"));
            return this;
        }

        /** The Kafka cluster holding the schemas topic. Required. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            return this;
        }

        /** The address to listen on. Default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The HTTP port; 0 picks a free one (see {@link EmbeddedSchemaRegistry#url()}). Default 8081. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port " + port + " is not a TCP port: use 0-65535 (0 = any free port)");
            }
            this.port = port;
            return this;
        }

        /** The compacted topic holding the schemas, created if missing. Default {@code _schemas}. */
        public Builder topic(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /** The replication factor of the schemas topic when the registry creates it. Default 1. */
        public Builder replicationFactor(int replicationFactor) {
            if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
                throw new IllegalArgumentException("replication factor " + replicationFactor
                        + " is out of range: use 1 or more (3 on a production cluster)");
            }
            this.replicationFactor = (short) replicationFactor;
            return this;
        }

        /**
         * A Kafka client property for the registry's admin, producer and consumer, such as
         * {@code security.protocol} or {@code sasl.jaas.config} for a secured cluster.
         */
        public Builder kafkaProperty(String name, Object value) {
            kafkaProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Kafka client properties, as {@link #kafkaProperty} one by one. */
        public Builder kafkaProperties(Map<String, ?> properties) {
            Objects.requireNonNull(properties, "properties").forEach(this::kafkaProperty);
            return this;
        }

        /** How long start may take to reach Kafka and replay the topic. Default 60 s. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = positive(timeout, "startupTimeout");
            return this;
        }

        /** How long a write may take before the request fails with error 50001. Default 10 s. */
        public Builder operationTimeout(Duration timeout) {
            this.operationTimeout = positive(timeout, "operationTimeout");
            return this;
        }

        public EmbeddedSchemaRegistry build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalStateException("bootstrapServers is required: which Kafka cluster holds the schemas?");
            }
            return new EmbeddedSchemaRegistry(this);
        }

        private static Duration positive(Duration timeout, String name) {
            Objects.requireNonNull(timeout, name);
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, not " + timeout);
            }
            return timeout;
        }
    }
}
