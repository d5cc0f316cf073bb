package dev.fanout.registry.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.registry.server.EmbeddedSchemaRegistry;
import dev.fanout.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replays the API session of docs/schema-registry.md, in order, against a fresh embedded registry: each
 * {@code http} block is sent, and the answer must have the status of the "Answer N:" line and the JSON of
 * the block after it.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RegistryDocExamplesIT {

    private static final Path DOC = Path.of("..", "docs", "schema-registry.md");
    private static final Pattern EXAMPLE = Pattern.compile(
            "```http\\n(.*?)```\\s*\\n(?:Answer (\\d{3}):\\s*\\n\\s*```json\\n(.*?)```)?", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    record Example(String method, String path, String body, int status, String answer) {
    }

    @Test
    void everyExampleAnswersAsDocumented(EmbeddedKafkaBroker broker) throws Exception {
        List<Example> examples = examples(Files.readString(DOC));
        assertThat(examples).as("examples in %s", DOC).hasSizeGreaterThan(5);

        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(broker.bootstrapServers()).port(0).topic("_schemas-doc-examples").build().start()) {
            HttpClient http = HttpClient.newHttpClient();
            for (Example example : examples) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registry.url() + example.path()))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .method(example.method(), example.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(example.body()));
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

                String what = example.method() + " " + example.path() + " in " + DOC;
                assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(example.status());
                if (example.answer() != null) {
                    JsonNode expected = JSON.readTree(example.answer());
                    assertThat(JSON.readTree(response.body())).as(what).isEqualTo(expected);
                }
            }
        }
    }

    static List<Example> examples(String doc) {
        List<Example> examples = new ArrayList<>();
        Matcher m = EXAMPLE.matcher(doc);
        while (m.find()) {
            String[] parts = m.group(1).split("\\n\\n", 2);
            String[] requestLine = parts[0].lines().findFirst().orElseThrow().split(" ", 2);
            String body = parts.length > 1 ? parts[1].trim() : "";
            int status = m.group(2) == null ? 200 : Integer.parseInt(m.group(2));
            examples.add(new Example(requestLine[0], requestLine[1].trim(), body, status, m.group(3)));
        }
        return examples;
    }
}
