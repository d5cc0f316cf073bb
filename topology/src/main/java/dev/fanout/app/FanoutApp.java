package dev.fanout.app;

import dev.fanout.config.AvroSerdes;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.query.HttpSecurity;
import dev.fanout.query.QueryService;
import dev.fanout.security.SecurityFailures;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Fanout's topology: {@link #start} from a settings map (Kafka, Schema Registry serde and
 * {@code fanout.*} keys; {@code state.dir} chooses where state lives), {@link #awaitRunning}, and
 * {@link #close}. It serves the query API ({@code fanout.http.host}/{@code fanout.http.port}) from its stores. A stream thread that dies of an unexpected error is logged and replaced, so the
 * instance keeps its partitions; bad records never get that far (they go to the dead letters).
 */
public final class FanoutApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PARTITION_COUNT_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaStreams streams;
    private final QueryService query;
    private final CountDownLatch running = new CountDownLatch(1);
    /** Why the cluster refused this instance (authentication or ACLs), once it has; then it has stopped. */
    private volatile String refusal;

    private FanoutApp(KafkaStreams streams, QueryService query) {
        this.streams = streams;
        this.query = query;
    }

    /** Builds the topology for {@code settings} and starts it; returns at once (see {@link #awaitRunning}). */
    public static FanoutApp start(Map<String, ?> settings) {
        Objects.requireNonNull(settings, "settings");
        FanoutConfig config = new FanoutConfig(settings);
        FanoutTopics topics = new FanoutTopics(config.topicPrefix(), new AvroSerdes(settings));
        var properties = StreamsSettings.of(settings);
        StreamsBuilder builder = new StreamsBuilder();
        FanoutTopology.build(builder, topics, config, TreePartitionCount.read(properties, topics, PARTITION_COUNT_TIMEOUT));
        // The query API listens first, so that a free port (0) is known for application.server.
        QueryService query = config.httpPort() < 0 ? null
                : QueryService.bind(config.httpHost(), config.httpPort(), HttpSecurity.of(config));
        if (query != null) {
            properties.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, query.advertised());
        }
        KafkaStreams streams;
        try {
            Topology topology = builder.build(properties);
            streams = new KafkaStreams(topology, properties);
        } catch (RuntimeException e) {
            if (query != null) {
                query.close();
            }
            throw e;
        }
        FanoutApp app = new FanoutApp(streams, query);
        if (query != null) {
            query.attach(streams, HostInfo.buildFromEndpoint(properties.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)),
                    properties, topics.treeCancel(), topics.admission().name());
            LOG.info("Fanout query API on {}://{}:{}/ (application.server {}){}", query.scheme(), config.httpHost(),
                    query.port(), properties.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG),
                    config.httpAuthToken().isPresent() ? ", token required for changes" : "");
        }
        streams.setUncaughtExceptionHandler(exception -> {
            // Refused credentials or a missing ACL stay so: a replaced thread would fail the same way forever.
            Optional<String> refused = SecurityFailures.explain(exception);
            if (refused.isPresent()) {
                app.refusal = refused.get();
                LOG.error("Fanout stops: {}", refused.get(), exception);
                app.running.countDown();
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            LOG.error("a stream thread failed; replacing it", exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("Fanout streams {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                if (query != null) {
                    query.running(streams);
                }
                app.running.countDown();
            }
        });
        streams.start();
        return app;
    }

    /**
     * Waits until the instance first reaches RUNNING (partitions assigned, state restored).
     *
     * @throws IllegalStateException at once when the cluster refuses the instance (credentials, TLS or
     *     ACLs), naming the setting or the ACL to fix
     */
    public void awaitRunning(Duration timeout) throws InterruptedException, TimeoutException {
        if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("Fanout did not reach RUNNING within " + timeout + "; it is " + streams.state());
        }
        if (refusal != null) {
            throw new IllegalStateException("Fanout cannot run on this cluster: " + refusal);
        }
    }

    /** Why the cluster refused this instance, if it did; the instance has then stopped. */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The port of the query API, if it is on ({@code fanout.http.port} is not -1). */
    public OptionalInt httpPort() {
        return query == null ? OptionalInt.empty() : OptionalInt.of(query.port());
    }

    /** {@code https} when the query API serves TLS ({@code fanout.http.ssl.keystore.location}), else {@code http}. */
    public String httpScheme() {
        return query == null ? "http" : query.scheme();
    }

    /** Stops the stream threads, committing what was processed; state stays on disk for the next start. */
    @Override
    public void close() {
        if (!streams.close(CLOSE_TIMEOUT)) {
            LOG.warn("Fanout streams did not close within {}", CLOSE_TIMEOUT);
        }
        if (query != null) {
            query.close();
        }
    }
}
