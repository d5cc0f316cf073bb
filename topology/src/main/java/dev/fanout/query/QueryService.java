package dev.fanout.query;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The query API of one Fanout instance: its HTTP server, bound before Kafka Streams is created (see
 * {@link #advertised}), then attached to the running {@link KafkaStreams}, and its metrics.
 */
public final class QueryService implements AutoCloseable {

    private final QueryServer server;
    private final String advertisedHost;
    private final QueryMetrics metrics = new QueryMetrics();

    private QueryService(QueryServer server, String advertisedHost) {
        this.server = server;
        this.advertisedHost = advertisedHost;
    }

    /** Listens on {@code host:port} (0: a free port); answers 503 until {@link #attach}. */
    public static QueryService bind(String host, int port) {
        QueryServer server = QueryServer.bind(host, port);
        return new QueryService(server, advertisedHost(host));
    }

    /** What {@code application.server} should be when the user did not set it: this host and the bound port. */
    public String advertised() {
        return advertisedHost + ":" + server.port();
    }

    public int port() {
        return server.port();
    }

    /** Serves the API over {@code streams}; {@code self} is this instance's {@code application.server}. */
    public void attach(KafkaStreams streams, HostInfo self) {
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(self, "self");
        server.attach(new QueryApi(new StreamsTreeLocator(streams, self), new Forwarder(), metrics::scrape,
                System::currentTimeMillis));
    }

    /** Kafka Streams reached RUNNING: its task metrics (the coordinator's among them) exist now. */
    public void running(KafkaStreams streams) {
        metrics.bind(streams);
    }

    @Override
    public void close() {
        server.close();
        metrics.close();
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
