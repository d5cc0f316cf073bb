package dev.fanout.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.app.CaughtUp;
import dev.fanout.app.FanoutApp;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.TopicInstaller;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Fanout instances of one application on a real broker and registry, each with its own state directory
 * and query API on a free port, plus what the tests need around them: producers for subscriptions,
 * events and workers' reports, reads of the output topics, and HTTP GETs and POSTs.
 */
final class QueryCluster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrapServers;
    private final Map<String, Object> settings = new HashMap<>();
    private final FanoutTopics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<FanoutApp> instances = new ArrayList<>();

    QueryCluster(String bootstrapServers, String registryUrl, int partitions) throws Exception {
        this.bootstrapServers = bootstrapServers;
        String unique = UUID.randomUUID().toString().substring(0, 8);
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put("schema.registry.url", registryUrl);
        settings.put(FanoutConfig.TOPIC_PREFIX, "qit-" + unique + ".");
        settings.put(FanoutConfig.APPLICATION_ID, "fanout-qit-" + unique);
        settings.put(FanoutConfig.HTTP_HOST, "127.0.0.1");
        settings.put(FanoutConfig.HTTP_PORT, 0);
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        settings.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        topics = FanoutTopics.from(settings);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            new TopicInstaller(admin).install(topics.specs(), partitions, (short) 1);
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Starts one more instance with its own state directory; returns it once RUNNING. */
    FanoutApp start(Path stateDir) throws Exception {
        Map<String, Object> own = new HashMap<>(settings);
        own.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        FanoutApp app = FanoutApp.start(own);
        instances.add(app);
        app.awaitRunning(Duration.ofSeconds(120));
        return app;
    }

    static String baseUrl(FanoutApp app) {
        return "http://127.0.0.1:" + app.httpPort().orElseThrow();
    }

    void subscribe(Subscription subscription) throws Exception {
        send(topics.subscriptions().name(), subscription.getId(),
                topics.subscriptions().valueSerde().serializer().serialize(topics.subscriptions().name(), subscription));
    }

    void emit(ArtifactEvent event) throws Exception {
        send(topics.artifactEvents().name(), event.getArtifact(),
                topics.artifactEvents().valueSerde().serializer().serialize(topics.artifactEvents().name(), event));
    }

    /** The repository's limits as {@code fanout subscriptions sync} publishes them: {@code max_in_flight}. */
    void limit(String repo, int maxInFlight) throws Exception {
        RepoLimits limits = RepoLimits.newBuilder().setRepo(repo).setMaxInFlight(maxInFlight).build();
        send(topics.repoLimits().name(), repo, topics.repoLimits().valueSerde().serializer()
                .serialize(topics.repoLimits().name(), limits));
    }

        /** A simulated worker's report on a trigger. */
    void report(Trigger trigger, RunState state) throws Exception {
        RunStatus status = RunStatus.newBuilder().setRunId(trigger.getRunId()).setTreeId(trigger.getTreeId())
                .setAttempt(trigger.getAttempt()).setStatus(state).setReportedAt(Instant.now())
                .setError(state == RunState.FAILED ? "exit code 1" : null).build();
        send(topics.runStatus().name(), status.getRunId(),
                topics.runStatus().valueSerde().serializer().serialize(topics.runStatus().name(), status));
    }

    private void send(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    List<Trigger> triggers() {
        List<Trigger> triggers = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : CaughtUp.readAll(bootstrapServers, topics.triggers().name())) {
            triggers.add(topics.triggers().valueSerde().deserializer().deserialize(record.topic(), record.value()));
        }
        return triggers;
    }

    List<TreeDone> treeDone() {
        List<TreeDone> done = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : CaughtUp.readAll(bootstrapServers, topics.treeDone().name())) {
            done.add(topics.treeDone().valueSerde().deserializer().deserialize(record.topic(), record.value()));
        }
        return done;
    }

    /** Every record of the tree-cancel topic, by key (the tree id) in the order written. */
    List<Map.Entry<String, TreeCancel>> treeCancels() {
        List<Map.Entry<String, TreeCancel>> cancels = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : CaughtUp.readAll(bootstrapServers, topics.treeCancel().name())) {
            cancels.add(Map.entry(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8),
                    topics.treeCancel().valueSerde().deserializer().deserialize(record.topic(), record.value())));
        }
        return cancels;
    }

    boolean isCaughtUp() throws Exception {
        return CaughtUp.isCaughtUp(bootstrapServers, (String) settings.get(FanoutConfig.APPLICATION_ID), topics);
    }

    /** GET {@code baseUrl + pathAndQuery}: the status and the body as text. */
    Answer get(String baseUrl, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    /** POST {@code body} (null: none) to {@code baseUrl + path}: the status and the body as text. */
    Answer post(String baseUrl, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    /** The JSON body of a 200 answer; anything else fails with the answer. */
    JsonNode json(String baseUrl, String pathAndQuery) throws IOException, InterruptedException {
        Answer answer = get(baseUrl, pathAndQuery);
        if (answer.status() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " on " + baseUrl + " answered " + answer.status() + ": "
                    + answer.body());
        }
        return answer.json();
    }

    record Answer(int status, String contentType, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    @Override
    public void close() {
        instances.forEach(FanoutApp::close);
        producer.close();
    }
}
