package dev.fanout.app;

import dev.fanout.config.AvroSerdes;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Fanout's topology: {@link #start} from a settings map (Kafka, Schema Registry serde and
 * {@code fanout.*} keys; {@code state.dir} chooses where state lives), {@link #awaitRunning}, and
 * {@link #close}. A stream thread that dies of an unexpected error is logged and replaced, so the
 * instance keeps its partitions; bad records never get that far (they go to the dead letters).
 */
public final class FanoutApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FanoutApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);

    private FanoutApp(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Builds the topology for {@code settings} and starts it; returns at once (see {@link #awaitRunning}). */
    public static FanoutApp start(Map<String, ?> settings) {
        Objects.requireNonNull(settings, "settings");
        FanoutConfig config = new FanoutConfig(settings);
        FanoutTopics topics = new FanoutTopics(config.topicPrefix(), new AvroSerdes(settings));
        StreamsBuilder builder = new StreamsBuilder();
        FanoutTopology.build(builder, topics, config);
        var properties = StreamsSettings.of(settings);
        Topology topology = builder.build(properties);
        KafkaStreams streams = new KafkaStreams(topology, properties);
        FanoutApp app = new FanoutApp(streams);
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("a stream thread failed; replacing it", exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("Fanout streams {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                app.running.countDown();
            }
        });
        streams.start();
        return app;
    }

    /** Waits until the instance first reaches RUNNING (partitions assigned, state restored). */
    public void awaitRunning(Duration timeout) throws InterruptedException, TimeoutException {
        if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("Fanout did not reach RUNNING within " + timeout + "; it is " + streams.state());
        }
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Stops the stream threads, committing what was processed; state stays on disk for the next start. */
    @Override
    public void close() {
        if (!streams.close(CLOSE_TIMEOUT)) {
            LOG.warn("Fanout streams did not close within {}", CLOSE_TIMEOUT);
        }
    }
}
