package dev.fanout.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.avro.CompletionStatus;
import dev.fanout.avro.Counts;
import dev.fanout.avro.TreeDone;
import dev.fanout.connect.transforms.ValueToJson;
import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import dev.fanout.serde.AvroSerdeConfig;
import dev.fanout.serde.SpecificAvroSerde;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** docs/connect.md against the shipped files and the code: what the page shows is what runs. */
class ConnectDocTest {

    static final Path DOC = Path.of("../docs/connect.md");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRestPayloadIsTheShippedPostgresConfigurationWithTheConverterNamed() throws IOException {
        // Given the JSON the page gives for the REST API
        Map<String, String> payload = JSON.readValue(block("REST payload of tree-done-postgres", "json"),
                new TypeReference<>() { });

        // Then it is the shipped file, without the name (it is in the URL), plus the value converter
        Map<String, String> expected = new HashMap<>(properties(Files.readString(Path.of("tree-done-postgres.properties"))));
        expected.remove("name");
        expected.put("value.converter", "dev.fanout.connect.FanoutAvroConverter");
        expected.put("value.converter.schema.registry.url", "http://schema-registry:8081");
        assertThat(payload).isEqualTo(expected);
    }

    @Test
    void theWorkerSettingsShownForAClusterAreThoseOfTheComposeWorker() throws IOException {
        // Given the worker properties the page lists, and the worker file docker-compose.yml mounts
        Map<String, String> shown = properties(block("On a Connect cluster", "properties"));
        Map<String, String> composeWorker = properties(Files.readString(Path.of("docker/connect-distributed.properties")));

        // Then each shown setting is the compose worker's
        assertThat(shown).isNotEmpty();
        assertThat(composeWorker).containsAllEntriesOf(shown);
    }

    @Test
    void theJsonLineShownIsWhatValueToJsonWritesForThatTreeDone() throws IOException {
        // Given the line the page shows
        String shown = block("JSON lines", "json").strip();
        Instant at = Instant.parse("2025-03-14T09:26:53.589Z");
        TreeDone done = TreeDone.newBuilder().setTreeId("evt-1").setArtifact("lib-core:release")
                .setStatus(CompletionStatus.SUCCEEDED).setCounts(Counts.newBuilder().build())
                .setStartedAt(at).setFinishedAt(at).setFailures(List.of()).build();

        // When that TreeDone goes through the converter and ValueToJson, as the shipped file configures them
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Map<String, String> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://registry.invalid:8081");
        byte[] bytes;
        try (SpecificAvroSerde<TreeDone> serde = new SpecificAvroSerde<>(TreeDone.class, registry)) {
            serde.configure(config, false);
            bytes = serde.serializer().serialize("fanout.tree-done", done);
        }
        FanoutAvroConverter converter = new FanoutAvroConverter(registry);
        converter.configure(config, false);
        SchemaAndValue data = converter.toConnectData("fanout.tree-done", bytes);
        SinkRecord line = new ValueToJson<SinkRecord>().apply(
                new SinkRecord("fanout.tree-done", 0, null, "evt-1", data.schema(), data.value(), 0));

        // Then it is the line shown
        assertThat(line.value()).isEqualTo(shown);
    }

    @Test
    void everyShippedConfigurationTheTableNamesExistsAndReadsTheTopicItSays() throws IOException {
        Matcher rows = Pattern.compile("\\| `connectors/([a-z-]+\\.properties)` \\| `([a-z.-]+)` \\|").matcher(Files.readString(DOC));
        int count = 0;
        while (rows.find()) {
            Map<String, String> shipped = properties(Files.readString(Path.of(rows.group(1))));
            assertThat(shipped.get("topics")).as(rows.group(1)).isEqualTo(rows.group(2));
            count++;
        }
        assertThat(count).isEqualTo(3);
    }

    /** The first code block of the language after the heading or comment that contains {@code marker}. */
    static String block(String marker, String language) throws IOException {
        String doc = Files.readString(DOC);
        int at = doc.indexOf(marker);
        assertThat(at).as("'%s' in %s", marker, DOC).isNotNegative();
        Matcher block = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(block.find(at)).as("a %s block after '%s'", language, marker).isTrue();
        return block.group(1);
    }

    static Map<String, String> properties(String text) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = new StringReader(text)) {
            properties.load(reader);
        }
        Map<String, String> map = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> map.put(key, properties.getProperty(key)));
        return map;
    }
}
