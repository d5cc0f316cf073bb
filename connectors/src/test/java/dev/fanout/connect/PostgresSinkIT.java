package dev.fanout.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.app.CaughtUp;
import dev.fanout.app.FanoutApp;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.TreeDone;
import dev.fanout.config.FanoutConfig;
import dev.fanout.config.FanoutTopics;
import dev.fanout.config.Topic;
import dev.fanout.config.TopicInstaller;
import dev.fanout.connect.worker.ConnectWorker;
import dev.fanout.connect.worker.ConnectWorkerSettings;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import dev.fanout.serde.AvroSerdeConfig;
import dev.fanout.serde.WireFormat;
import dev.fanout.testkit.KafkaBrokerExtension;
import dev.fanout.worker.FanoutWorker;
import dev.fanout.worker.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped sink configurations on a real Connect worker, against the real pipeline (KRaft broker,
 * embedded registry, topology, a worker written with the SDK) and a real PostgreSQL server. The topics
 * have their default names, so the files run as shipped; {@code ${env:...}} is resolved from the worker's
 * settings ({@link ParamsConfigProvider}) because a JVM cannot set its own environment.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PostgresSinkIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String TREE_DONE_POSTGRES = "fanout-tree-done-postgres";
    private static final String FANOUT_DONE_POSTGRES = "fanout-fanout-done-postgres";
    private static final String TREE_DONE_JSONL = "fanout-tree-done-jsonl";
    private static final String ARTIFACT = "sink-lib:jar";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tempDir;

    private static String bootstrapServers;
    private static PostgresServer postgres;
    private static EmbeddedSchemaRegistry registry;
    private static FanoutTopics topics;
    private static FanoutApp app;
    private static FanoutWorker worker;
    private static KafkaProducer<String, byte[]> producer;
    private static Map<String, String> workerSettings;
    private static ConnectWorker connect;
    private static Path jsonLines;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker) throws Exception {
        bootstrapServers = broker.bootstrapServers();
        postgres = PostgresServer.start();
        String unique = UUID.randomUUID().toString().substring(0, 8);
        registry = EmbeddedSchemaRegistry.builder().bootstrapServers(bootstrapServers).port(0)
                .topic("_schemas-" + unique).build().start();
        Map<String, Object> settings = new HashMap<>();
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        settings.put(FanoutConfig.APPLICATION_ID, "fanout-sink-" + unique);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, tempDir.resolve("state").toString());
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        settings.put(FanoutConfig.HTTP_PORT, 0);
        topics = FanoutTopics.from(settings);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            new TopicInstaller(admin).install(topics.specs(), 3, (short) 1);
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringSerializer(), new ByteArraySerializer());
        app = FanoutApp.start(settings);
        app.awaitRunning(PATIENCE);
        send(topics.subscriptions(), "sink-app/on-lib", Subscription.newBuilder().setId("sink-app/on-lib")
                .setRepo("sink-app").setArtifact(ARTIFACT).setEvents(List.of("published")).setSchemaVersion("^1.0.0")
                .setWorkflow("build").setForeach("event.payload.items").setInputs(Map.of("item", "item")).build());
        await().atMost(PATIENCE).until(() -> CaughtUp.isCaughtUp(bootstrapServers,
                (String) settings.get(FanoutConfig.APPLICATION_ID), topics));
        worker = FanoutWorker.builder().bootstrapServers(bootstrapServers).schemaRegistryUrl(registry.url())
                .groupId("sink-workers-" + unique)
                .handle("sink-app", "build", run -> run.input("item").equals("\"bad\"")
                        ? RunResult.failed("item bad does not build", false) : RunResult.succeeded())
                .build();
        worker.start();

        jsonLines = tempDir.resolve("tree-done.jsonl");
        workerSettings = new LinkedHashMap<>(ConnectWorkerSettings.of(bootstrapServers, registry.url(),
                Path.of("target/connect-plugins"), tempDir.resolve("connect.offsets"), "http://127.0.0.1:0"));
        workerSettings.put("config.providers.env.class", ParamsConfigProvider.class.getName());
        workerSettings.put("config.providers.env.param.FANOUT_JDBC_URL", postgres.jdbcUrl());
        workerSettings.put("config.providers.env.param.FANOUT_JDBC_USER", PostgresServer.USER);
        workerSettings.put("config.providers.env.param.FANOUT_JDBC_PASSWORD", "");
        workerSettings.put("config.providers.env.param.FANOUT_TREE_DONE_JSONL", jsonLines.toString());
        connect = startConnect();
    }

    @AfterAll
    static void stop() throws Exception {
        if (connect != null) {
            connect.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (app != null) {
            app.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void everyTreeBecomesOneRowWithTheStatusCountsTimesAndFailuresOfItsTreeDone() throws Exception {
        // Given trees that succeed, fail and match nothing
        emit("rows-ok", ARTIFACT, List.of("a", "b"));
        emit("rows-failed", ARTIFACT, List.of("a", "bad", "c"));
        emit("rows-unmatched", "nobody-listens:jar", List.of());

        // When the pipeline finishes them and the sink has caught up
        List<String> ids = List.of("rows-ok", "rows-failed", "rows-unmatched");
        Map<String, Map<String, Object>> rows = awaitRows(ids);

        // Then each tree is one row holding what its TreeDone says
        for (String id : ids) {
            TreeDone done = treeDone(id).orElseThrow();
            Map<String, Object> row = rows.get(id);
            assertThat(row.get("status")).as(id).isEqualTo(done.getStatus().name());
            assertThat(row.get("counts_total")).as(id).isEqualTo(done.getCounts().getTotal());
            assertThat(row.get("counts_succeeded")).as(id).isEqualTo(done.getCounts().getSucceeded());
            assertThat(row.get("counts_failed")).as(id).isEqualTo(done.getCounts().getFailed());
            assertThat(row.get("started_at")).as(id).isEqualTo(done.getStartedAt());
            assertThat(row.get("finished_at")).as(id).isEqualTo(done.getFinishedAt());
        }
        assertThat(rows.get("rows-failed")).containsEntry("status", "FAILED").containsEntry("counts_failed", 1L);
        assertThat(rows.get("rows-unmatched")).containsEntry("counts_total", 0L);
        JsonNode failures = JSON.readTree((String) rows.get("rows-failed").get("failures"));
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).get("error").asText()).isEqualTo("item bad does not build");
        assertThat(failures.get(0).get("item_index").asInt()).isEqualTo(1);
        assertThat(countRows("fanout_tree_done", ids)).isEqualTo(3);
        // and the fan-out sink has the root fan-out of each tree, its child results as JSON in item order
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            List<Map<String, Object>> fanOuts = query("SELECT status, counts_total, results FROM fanout_fanout_done "
                    + "WHERE tree_id = 'rows-failed'");
            assertThat(fanOuts).singleElement().satisfies(fanOut -> {
                assertThat(fanOut).containsEntry("status", "FAILED").containsEntry("counts_total", 3L);
                assertThat(JSON.readTree((String) fanOut.get("results")).findValuesAsText("item_index"))
                        .containsExactly("0", "1", "2");
            });
        });
        // and the JSON-lines file has a line per tree, its times in ISO-8601
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(jsonLinesByTree()).containsKeys(ids.toArray(String[]::new)));
        JsonNode line = jsonLinesByTree().get("rows-ok");
        assertThat(line.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(line.get("counts").get("total").asLong()).isEqualTo(2);
        assertThat(Instant.parse(line.get("finished_at").asText())).isEqualTo(treeDone("rows-ok").orElseThrow().getFinishedAt());
    }

    @Test
    void aTreeIsStillOneRowAfterTheWorkerRestartsAndEveryRecordIsDeliveredAgain() throws Exception {
        // Given a tree already in the table
        emit("restart-1", ARTIFACT, List.of("a"));
        awaitRows(List.of("restart-1"));

        // When the Connect worker stops, trees finish meanwhile, and the sink's offsets go back to the start
        connect.close();
        connect = null;
        emit("restart-2", ARTIFACT, List.of("a", "bad"));
        emit("restart-3", ARTIFACT, List.of("a", "b", "c"));
        await().atMost(PATIENCE).until(() -> treeDone("restart-2").isPresent() && treeDone("restart-3").isPresent());
        rewindSinkToTheStart();
        long end = endOfLastRecords();
        connect = startConnect();

        // Then the sink reads everything again, and each tree is still exactly one row
        await().atMost(PATIENCE).until(() -> committedOffsets() >= end);
        List<String> ids = List.of("restart-1", "restart-2", "restart-3");
        Map<String, Map<String, Object>> rows = awaitRows(ids);
        assertThat(rows.get("restart-2")).containsEntry("status", "FAILED").containsEntry("counts_total", 2L);
        assertThat(rows.get("restart-3")).containsEntry("status", "SUCCEEDED").containsEntry("counts_total", 3L);
        assertThat(countRows("fanout_tree_done", ids)).isEqualTo(3);
        List<Map<String, Object>> totals = query("SELECT count(*) AS all_rows, count(DISTINCT tree_id) AS trees FROM fanout_tree_done");
        assertThat(totals.get(0).get("all_rows")).isEqualTo(totals.get(0).get("trees"));
    }

    @Test
    void aRecordTheConverterCannotReadGoesToTheDeadLetterTopicWithItsReasonAndTheSinkGoesOn() throws Exception {
        // Given a value that is not in the Confluent wire format on the tree-done topic
        String topic = topics.treeDone().name();
        producer.send(new ProducerRecord<>(topic, "dlq-garbage", "{\"tree_id\": \"dlq-garbage\"}".getBytes(StandardCharsets.UTF_8))).get();

        // When the sink reads it, and a sound tree after it
        emit("dlq-after", ARTIFACT, List.of("a"));

        // Then the record is in the connector's dead-letter topic, with the converter's reason in its headers
        String deadLetters = "fanout.connect.tree-done-postgres.dead-letters";
        ConsumerRecord<byte[], byte[]> deadLetter = await().atMost(PATIENCE).ignoreExceptions()
                .until(() -> CaughtUp.readAll(bootstrapServers, deadLetters).stream()
                        .filter(r -> "dlq-garbage".equals(new String(r.key(), StandardCharsets.UTF_8))).findFirst(),
                        Optional::isPresent).orElseThrow();
        assertThat(header(deadLetter, "__connect.errors.topic")).isEqualTo(topic);
        assertThat(header(deadLetter, "__connect.errors.exception.class.name"))
                .isEqualTo("org.apache.kafka.connect.errors.DataException");
        assertThat(header(deadLetter, "__connect.errors.exception.message")).contains("unknown magic byte 0x7b");
        // and the sink went on: the next tree is a row, the bad record is none
        awaitRows(List.of("dlq-after"));
        assertThat(countRows("fanout_tree_done", List.of("dlq-garbage"))).isZero();
    }

    @Test
    void aNewOptionalFieldOfTreeDoneBecomesAColumnAndNoRowIsLost() throws Exception {
        // Given a tree written with the current TreeDone schema, in the table
        emit("evolve-before", ARTIFACT, List.of("a"));
        Map<String, Object> before = awaitRows(List.of("evolve-before")).get("evolve-before");

        // When TreeDone gains an optional field (a compatible evolution the registry accepts) and a
        // producer writes a TreeDone with it
        Schema evolved = withOptionalField(TreeDone.getClassSchema(), "triggered_by");
        String topic = topics.treeDone().name();
        try (SchemaRegistryClient client = AvroSerdeConfig.createRegistryClient(
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()))) {
            int id = client.register(topic + "-value", evolved);
            GenericRecord done = new GenericData.Record(evolved);
            TreeDone template = treeDone("evolve-before").orElseThrow();
            for (Schema.Field field : TreeDone.getClassSchema().getFields()) {
                done.put(field.name(), template.get(field.pos()));
            }
            done.put("tree_id", "evolve-after");
            done.put("triggered_by", "release-bot");
            producer.send(new ProducerRecord<>(topic, "evolve-after", wireFormat(id, evolved, done))).get();
        }

        // Then the table has a triggered_by column holding it, and the earlier row is still there
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(
                query("SELECT triggered_by FROM fanout_tree_done WHERE tree_id = 'evolve-after'"))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("triggered_by", "release-bot")));
        Map<String, Object> after = awaitRows(List.of("evolve-before")).get("evolve-before");
        assertThat(after).containsAllEntriesOf(before);
        assertThat(query("SELECT triggered_by FROM fanout_tree_done WHERE tree_id = 'evolve-before'"))
                .singleElement().satisfies(row -> assertThat(row.get("triggered_by")).isNull());
    }

    @Test
    void theTableHasTheColumnsTheDocsListAndTheirQueryRuns() throws Exception {
        // Given a tree in the table
        emit("docs-1", ARTIFACT, List.of("a", "bad"));
        awaitRows(List.of("docs-1"));

        // When the table's columns are read
        Map<String, String> columns = new LinkedHashMap<>();
        for (Map<String, Object> column : query("SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_name = 'fanout_tree_done' ORDER BY ordinal_position")) {
            columns.put((String) column.get("column_name"), (String) column.get("data_type"));
        }
        columns.remove("triggered_by"); // added by the evolution test, which may have run first

        // Then they are the columns docs/connect.md lists, of the types it gives
        String doc = Files.readString(ConnectDocTest.DOC);
        String table = doc.substring(doc.indexOf("<!-- fanout_tree_done columns"), doc.indexOf("<!-- end of fanout_tree_done columns"));
        Map<String, String> documented = new LinkedHashMap<>();
        Matcher row = Pattern.compile("\\| `([a-z_]+)` \\| ([a-z ]+?)(, primary key)? \\|").matcher(table);
        while (row.find()) {
            documented.put(row.group(1), row.group(2));
        }
        assertThat(columns).containsExactlyEntriesOf(documented);
        assertThat(query("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                + "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'fanout_tree_done'::regclass AND i.indisprimary"))
                .extracting(r -> r.get("attname")).containsExactly("tree_id");
        // and the page's example query runs
        assertThat(query(ConnectDocTest.block("```sql", "sql").replace(";", "")))
                .anySatisfy(r -> assertThat(r).containsEntry("tree_id", "docs-1").containsEntry("first_error", "item bad does not build"));
    }

    private static ConnectWorker startConnect() throws IOException {
        ConnectWorker started = ConnectWorker.start(workerSettings);
        for (String file : List.of("tree-done-postgres.properties", "fanout-done-postgres.properties",
                "tree-done-jsonl.properties")) {
            started.putConnector(shipped(file));
        }
        for (String name : List.of(TREE_DONE_POSTGRES, FANOUT_DONE_POSTGRES, TREE_DONE_JSONL)) {
            await().atMost(PATIENCE).until(() -> started.status(name)
                    .filter(status -> "RUNNING".equals(status.connector().state()) && !status.tasks().isEmpty()
                            && status.tasks().stream().allMatch(task -> "RUNNING".equals(task.state())))
                    .isPresent());
        }
        return started;
    }

    private static Map<String, String> shipped(String file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            properties.load(in);
        }
        return properties.stringPropertyNames().stream().collect(Collectors.toMap(k -> k, properties::getProperty));
    }

    private static void emit(String treeId, String artifact, List<String> items) throws Exception {
        String payload = JSON.writeValueAsString(Map.of("items", items));
        send(topics.artifactEvents(), artifact, ArtifactEvent.newBuilder().setEventId(treeId).setArtifact(artifact)
                .setEventType("published").setSchemaVersion("1.0.0").setPayload(payload).setProducedAt(Instant.now())
                .setSourceRepo(artifact.substring(0, artifact.indexOf(':'))).build());
    }

    private static <V> void send(Topic<String, V> topic, String key, V value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key,
                topic.valueSerde().serializer().serialize(topic.name(), value))).get();
    }

    private static Optional<TreeDone> treeDone(String treeId) {
        Topic<String, TreeDone> topic = topics.treeDone();
        return CaughtUp.readAll(bootstrapServers, topic.name()).stream()
                .filter(r -> treeId.equals(new String(r.key(), StandardCharsets.UTF_8)))
                .map(r -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value()))
                .findFirst();
    }

    /** The rows of these trees by tree id, once each has one. */
    private static Map<String, Map<String, Object>> awaitRows(List<String> treeIds) {
        return await().atMost(PATIENCE).ignoreExceptions().until(() -> {
            Map<String, Map<String, Object>> rows = new HashMap<>();
            for (Map<String, Object> row : query("SELECT * FROM fanout_tree_done WHERE tree_id IN ("
                    + treeIds.stream().map(id -> "'" + id + "'").collect(Collectors.joining(",")) + ")")) {
                rows.put((String) row.get("tree_id"), row);
            }
            return rows;
        }, rows -> rows.keySet().containsAll(treeIds));
    }

    private static long countRows(String table, List<String> treeIds) throws SQLException {
        return (Long) query("SELECT count(*) AS n FROM " + table + " WHERE tree_id IN ("
                + treeIds.stream().map(id -> "'" + id + "'").collect(Collectors.joining(",")) + ")").get(0).get("n");
    }

    /** Rows as column → value, timestamps as Instants. */
    private static List<Map<String, Object>> query(String sql) throws SQLException {
        try (Connection connection = postgres.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (result.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
                    Object value = result.getObject(column);
                    row.put(result.getMetaData().getColumnLabel(column),
                            value instanceof java.sql.Timestamp timestamp ? timestamp.toInstant() : value);
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static Map<String, JsonNode> jsonLinesByTree() throws IOException {
        Map<String, JsonNode> lines = new HashMap<>();
        if (Files.exists(jsonLines)) {
            for (String line : Files.readAllLines(jsonLines)) {
                JsonNode node = JSON.readTree(line);
                lines.put(node.get("tree_id").asText(), node);
            }
        }
        return lines;
    }

    /** Moves the tree-done sink's committed offsets to the start of the topic. */
    private static void rewindSinkToTheStart() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> partitions = admin.describeTopics(List.of(topics.treeDone().name()))
                    .allTopicNames().get().get(topics.treeDone().name()).partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topics.treeDone().name(), p.partition()),
                            p -> OffsetSpec.earliest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> earliest = admin.listOffsets(partitions).all().get();
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            earliest.forEach((partition, info) -> start.put(partition, new OffsetAndMetadata(info.offset())));
            await().atMost(PATIENCE).ignoreExceptions().until(() -> {
                admin.alterConsumerGroupOffsets("connect-" + TREE_DONE_POSTGRES, start).all().get();
                return true;
            });
        }
    }

    /**
     * The offsets a sink commits once it has delivered every record of the tree-done topic, summed over the
     * partitions: Connect commits the offset after the last record it delivered, which in a topic written in
     * transactions is short of the end by the commit markers.
     */
    private static long endOfLastRecords() {
        return CaughtUp.readAll(bootstrapServers, topics.treeDone().name()).stream()
                .collect(Collectors.toMap(ConsumerRecord::partition, r -> r.offset() + 1, Math::max))
                .values().stream().mapToLong(Long::longValue).sum();
    }

    private static long committedOffsets() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            return admin.listConsumerGroupOffsets("connect-" + TREE_DONE_POSTGRES).partitionsToOffsetAndMetadata().get()
                    .values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Schema withOptionalField(Schema schema, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                "Who or what started the tree.", org.apache.avro.JsonProperties.NULL_VALUE));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static byte[] wireFormat(int id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(WireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        new GenericDatumWriter<GenericRecord>(schema, model).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
