package dev.fanout.query;

import dev.fanout.avro.TreeCancel;
import dev.fanout.config.Topic;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The query API of one Fanout instance: its HTTP server, bound before Kafka Streams is created (see
 * {@link #advertised}), then attached to the running {@link KafkaStreams}, and its metrics.
 */
public final class QueryService implements AutoCloseable {

    private final QueryServer server;
    private final String advertisedHost;
    private final HttpSecurity security;
    private final QueryMetrics metrics = new QueryMetrics();
    private KafkaCancelRequests cancels;

    private QueryService(QueryServer server, String advertisedHost, HttpSecurity security) {
        this.server = server;
        this.advertisedHost = advertisedHost;
        this.security = security;
    }

    /** Listens on {@code host:port} (0: a free port); answers 503 until {@link #attach}. */
    public static QueryService bind(String host, int port) {
        return bind(host, port, HttpSecurity.NONE);
    }

    /** As {@link #bind(String, int)}, over HTTPS and asking a token of changing requests as {@code security} says. */
    public static QueryService bind(String host, int port, HttpSecurity security) {
        QueryServer server = QueryServer.bind(host, port, security);
        return new QueryService(server, advertisedHost(host), security);
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return security.scheme();
    }

    /** What {@code application.server} should be when the user did not set it: this host and the bound port. */
    public String advertised() {
        return advertisedHost + ":" + server.port();
    }

    public int port() {
        return server.port();
    }

    /**
     * Serves the API over {@code streams}; {@code self} is this instance's {@code application.server}. Cancel
     * requests go to {@code treeCancel} through a producer configured from {@code streamsProperties}, as the
     * instance's own producers are. {@code admissionTopic} is the topic whose partitions the admission
     * stage's stores follow (the repositories' quotas).
     */
    public synchronized void attach(KafkaStreams streams, HostInfo self, Properties streamsProperties,
            Topic<String, TreeCancel> treeCancel, String admissionTopic) {
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(self, "self");
        cancels = KafkaCancelRequests.create(streamsProperties, treeCancel,
                streamsProperties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG)
                        + "-query-cancels");
        StreamsTreeLocator locator = new StreamsTreeLocator(streams, self, security.scheme(), admissionTopic);
        metrics.quotasFrom(locator);
        server.attach(new QueryApi(locator, new Forwarder(security.client()), metrics::scrape,
                System::currentTimeMillis, cancels));
    }

    /** Kafka Streams reached RUNNING: its task metrics (the coordinator's among them) exist now. */
    public void running(KafkaStreams streams) {
        metrics.bind(streams);
    }

    @Override
    public synchronized void close() {
        server.close();
        metrics.close();
        if (cancels != null) {
            cancels.close();
        }
    }

    private static String advertisedHost(String host) {
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
