package dev.fanout.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * docs/workers.md cannot drift: its Java blocks are the tagged regions of {@link WorkersDocExamples}
 * (which compile, and which WorkerIT runs), and it names every topic, field and builder setting.
 */
class WorkersDocTest {

    private static final Path BASE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path DOC = BASE.resolve("../docs/workers.md").normalize();
    private static final Path EXAMPLES = BASE.resolve("src/test/java/dev/fanout/worker/WorkersDocExamples.java");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern REGION =
            Pattern.compile("// tag::([a-z-]+)\\[]\\n(.*?)\\n[ ]*// end::\\1\\[]", Pattern.DOTALL);

    @Test
    void everyJavaBlockIsATaggedRegionOfTheCompiledExamples() throws IOException {
        Map<String, String> regions = regions();
        List<String> blocks = javaBlocks();

        assertThat(blocks).as("java blocks of docs/workers.md").hasSize(regions.size());
        for (String block : blocks) {
            assertThat(regions.values()).as("a java block of docs/workers.md, which must be copied from a tagged "
                    + "region of WorkersDocExamples.java").contains(block);
        }
    }

    @Test
    void everyTopicTheWorkerUsesIsInTheTopicTable() throws IOException {
        String doc = Files.readString(DOC);
        for (String topic : WorkerTopics.withPrefix("fanout.").all()) {
            assertThat(doc).contains("| `" + topic + "` |");
        }
    }

    @Test
    void everyFieldOfAReportAndOfATriggerIsExplained() throws IOException {
        String doc = Files.readString(DOC);
        for (Schema.Field field : RunStatus.getClassSchema().getFields()) {
            assertThat(doc).contains("`" + field.name() + "`");
        }
        for (Schema.Field field : Trigger.getClassSchema().getFields()) {
            assertThat(doc).contains("`" + field.name() + "`");
        }
    }

    @Test
    void everyBuilderSettingIsInTheSettingsTable() throws IOException {
        String doc = Files.readString(DOC);
        List<String> settings = Arrays.stream(FanoutWorker.Builder.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getReturnType() == FanoutWorker.Builder.class)
                .map(Method::getName).distinct().toList();
        assertThat(settings).contains("bootstrapServers", "handle", "concurrency");
        for (String setting : settings) {
            assertThat(doc).containsPattern("\\| `" + setting + "(\\(.*\\))?` \\|");
        }
    }

    private static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        Matcher matcher = REGION.matcher(Files.readString(EXAMPLES));
        while (matcher.find()) {
            regions.put(matcher.group(1), matcher.group(2) + "\n");
        }
        assertThat(regions).containsOnlyKeys("quick-start", "nested");
        return regions;
    }

    private static List<String> javaBlocks() throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = JAVA_BLOCK.matcher(Files.readString(DOC));
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }
}
