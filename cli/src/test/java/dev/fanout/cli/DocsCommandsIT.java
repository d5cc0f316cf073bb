package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.local.DevStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code ./fanout} commands shown in the README and the getting-started guide against a real
 * local stack, so the documented commands keep working. {@code fanout dev} itself is the stack here,
 * {@code fanout demo} starts its own and is run by {@link DemoCommandIT}, and commands aimed at a
 * production cluster ({@code --config prod.properties}) are left out.
 */
class DocsCommandsIT {

    private static final List<Path> DOCS = List.of(Path.of("..", "README.md"), Path.of("..", "docs", "getting-started.md"));
    private static final Pattern SHELL = Pattern.compile("```shell\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern FIRST_JSON = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void everyDocumentedCommandRunsAgainstTheLocalStack() throws Exception {
        try (DevStack stack = DevStack.start(new DevStack.Options(dir.resolve("data"), "127.0.0.1", 0, 0, 2))) {
            int ran = 0;
            for (Path doc : DOCS) {
                String text = Files.readString(doc);
                for (List<String> command : commands(text)) {
                    List<String> args = new ArrayList<>(command.subList(1, command.size()));
                    if (args.get(0).equals("dev") || args.get(0).equals("demo") || args.contains("prod.properties")) {
                        continue;
                    }
                    substituteFiles(args, text);
                    args.addAll(List.of("--bootstrap-server", stack.bootstrapServers(),
                            "--schema-registry-url", stack.registryUrl()));

                    CliRun run = CliRun.of(args.toArray(String[]::new));

                    assertThat(run.exitCode()).as("%s in %s:\n%s", String.join(" ", command), doc, run.err()).isZero();
                    if (args.contains("consume")) {
                        assertThat(run.out()).as("output of %s", String.join(" ", command)).isNotBlank();
                    }
                    ran++;
                }
            }
            assertThat(ran).as("documented commands run").isGreaterThanOrEqualTo(4);
        }
    }

    /** A file named in a command is the first JSON block of the same page. */
    private void substituteFiles(List<String> args, String doc) throws Exception {
        int at = args.indexOf("--file");
        if (at >= 0) {
            Matcher json = FIRST_JSON.matcher(doc);
            assertThat(json.find()).as("a ```json block for %s", args.get(at + 1)).isTrue();
            Path file = dir.resolve(args.get(at + 1));
            Files.writeString(file, json.group(1));
            args.set(at + 1, file.toString());
        }
    }

    /** The {@code ./fanout} lines of the shell blocks, continuation lines joined, split as a shell would. */
    static List<List<String>> commands(String markdown) {
        List<List<String>> commands = new ArrayList<>();
        Matcher m = SHELL.matcher(markdown);
        while (m.find()) {
            String block = m.group(1).replace("\\\n", " ");
            block.lines().map(String::trim).filter(l -> l.startsWith("./fanout ")).forEach(l -> commands.add(words(l)));
        }
        return commands;
    }

    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
