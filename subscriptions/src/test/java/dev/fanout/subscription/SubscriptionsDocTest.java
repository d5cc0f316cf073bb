package dev.fanout.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.subscription.takofile.ParsedTakoFile;
import dev.fanout.subscription.takofile.SourceError;
import dev.fanout.subscription.takofile.TakoFileParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * docs/subscriptions.md stays true: every {@code yaml} block is a valid tako.yml, and every
 * {@code yaml invalid} block yields exactly the errors of the {@code text} block that follows it.
 */
class SubscriptionsDocTest {

    private static final Path DOC =
            Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../docs/subscriptions.md").normalize();

    private record Block(String info, int line, String content) {
    }

    private final TakoFileParser parser = TakoFileParser.withDefaults();

    private static List<Block> blocks() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("```") && lines.get(i).length() > 3) {
                int start = i;
                StringBuilder content = new StringBuilder();
                for (i++; !lines.get(i).equals("```"); i++) {
                    content.append(lines.get(i)).append('\n');
                }
                blocks.add(new Block(lines.get(start).substring(3).trim(), start + 1, content.toString()));
            }
        }
        return blocks;
    }

    private ParsedTakoFile parse(Block block) {
        return parser.parse(block.content().getBytes(StandardCharsets.UTF_8), "app-b", "app-b/tako.yml");
    }

    @TestFactory
    Stream<DynamicTest> everyYamlExampleIsAValidTakoFile() throws IOException {
        List<Block> examples = blocks().stream().filter(block -> block.info().equals("yaml")).toList();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        return examples.stream().map(block -> DynamicTest.dynamicTest("yaml block at line " + block.line(), () -> {
            ParsedTakoFile parsed = parse(block);

            assertThat(parsed.errors()).isEmpty();
            assertThat(parsed.subscriptions()).isNotEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyInvalidExampleYieldsTheDocumentedErrors() throws IOException {
        List<Block> blocks = blocks();
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            if (!block.info().equals("yaml invalid")) {
                continue;
            }
            Block expected = blocks.get(i + 1);
            tests.add(DynamicTest.dynamicTest("invalid yaml block at line " + block.line(), () -> {
                assertThat(expected.info()).as("block after line %d", block.line()).isEqualTo("text");

                String errors = parse(block).errors().stream().map(SourceError::toString).collect(Collectors.joining("\n"));

                assertThat(errors + "\n").isEqualTo(expected.content());
            }));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(5);
        return tests.stream();
    }
}
