package dev.fanout.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays the {@code curl} examples of a page against a running instance: each {@code shell} block's
 * request is sent, and the answer is compared with the block that follows it. A {@code json} answer
 * must have the same fields (recursively; values such as times and durations differ from run to run)
 * and, for an error, the same error code; a {@code text} answer (metrics) must contain every metric
 * name shown. A {@code curl -X POST} example is sent as a POST with its {@code -d '...'} body and must
 * answer 202; its {@code -H} headers are not sent (the test instances ask for no token).
 */
final class QueryDocExamples {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXAMPLE = Pattern.compile(
            "```shell\\n(curl [^\\n]*)\\n```\\s*```(json|text)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern URL = Pattern.compile("'?(?:http://)?localhost:8080(/[^'\\s]*)'?");
    private static final Pattern POST = Pattern.compile("\\s-X POST\\s");
    private static final Pattern DATA = Pattern.compile("\\s-d '([^']*)'");

    private QueryDocExamples() {
    }

    /** Replays every example of {@code doc} on {@code baseUrl}; returns how many. */
    static int replay(Path doc, String baseUrl, QueryCluster cluster) throws Exception {
        Matcher example = EXAMPLE.matcher(Files.readString(doc));
        int replayed = 0;
        while (example.find()) {
            String command = example.group(1);
            Matcher url = URL.matcher(command);
            assertThat(url.find()).as("a localhost:8080 URL in '%s'", command).isTrue();
            String path = url.group(1);
            boolean post = POST.matcher(command).find();
            Matcher data = DATA.matcher(command);
            QueryCluster.Answer answer = post ? cluster.post(baseUrl, path, data.find() ? data.group(1) : null)
                    : cluster.get(baseUrl, path);
            if (example.group(2).equals("json")) {
                JsonNode documented = JSON.readTree(example.group(3));
                JsonNode actual = answer.json();
                if (documented.has("error")) {
                    assertThat(answer.status()).as(command).isBetween(400, 599);
                    assertThat(actual.get("error").asText()).as(command).isEqualTo(documented.get("error").asText());
                } else {
                    assertThat(answer.status()).as("%s answered %s", command, answer.body()).isEqualTo(post ? 202 : 200);
                }
                assertSameFields(command, "", documented, actual);
            } else {
                assertThat(answer.status()).as(command).isEqualTo(200);
                for (String line : example.group(3).split("\\n")) {
                    String name = line.split("[{ ]")[0];
                    assertThat(answer.body()).as("%s shows %s", command, name).contains(name + "{");
                }
            }
            replayed++;
        }
        return replayed;
    }

    private static void assertSameFields(String command, String where, JsonNode documented, JsonNode actual) {
        if (documented.isObject() && actual.isObject()) {
            assertThat(names(actual)).as("fields of %s%s", command, where).containsExactlyElementsOf(names(documented));
            for (String name : names(documented)) {
                assertSameFields(command, where + "." + name, documented.get(name), actual.get(name));
            }
        } else if (documented.isArray() && actual.isArray() && documented.size() > 0 && actual.size() > 0) {
            assertSameFields(command, where + "[0]", documented.get(0), actual.get(0));
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
