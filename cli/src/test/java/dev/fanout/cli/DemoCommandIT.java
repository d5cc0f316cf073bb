package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fanout demo} as a user runs it from the README: the command line through picocli, with
 * {@code --exit-when-done} and free ports added, on a real embedded stack. While it runs, the web page
 * and the API it prints answer; when it is done it has printed the tree and the TreeDone summary, and
 * exits 0.
 */
class DemoCommandIT {

    private static final List<Path> DOCS = List.of(Path.of("..", "README.md"), Path.of("..", "docs", "getting-started.md"));
    private static final Pattern WEB_PAGE = Pattern.compile("Web page +(http://\\S+/) ");
    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @TempDir
    Path dir;

    @Test
    void theDocumentedDemoRunsTheExampleTreeToTheExpectedEndWhileItsWebPageAnswers() throws Exception {
        // Given the demo command of the README (the first command it shows) and the getting-started guide
        List<String> command = documentedDemoCommand();
        List<String> args = new ArrayList<>(command.subList(1, command.size()));
        args.addAll(List.of("--kafka-port", "0", "--registry-port", "0", "--http-port", "0",
                "--data-dir", dir.resolve("demo").toString(), "--repos", Path.of("..", "examples", "repos").toString()));

        // When it runs
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> demo = CompletableFuture.supplyAsync(() -> FanoutCli.execute(
                args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true)));

        // Then its web page and API answer while it runs
        String web = await().atMost(PATIENCE).until(() -> webPage(out.toString()), url -> url != null || demo.isDone());
        assertThat(web).as("the web page URL in:\n%s\n%s", out, err).isNotNull();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = get(http, web);
        HttpResponse<String> trees = get(http, web + "api/trees");
        assertThat(demo).as("the demo was still running when its page was read").isNotDone();
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Fanout</title>");
        assertThat(trees.statusCode()).isEqualTo(200);
        assertThat(trees.body()).contains("\"trees\"");

        // And it ends as designed, with exit code 0
        int code = demo.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        String printed = out.toString();
        System.out.println(printed);
        assertThat(code).as("exit code; stderr:\n%s\nstdout:\n%s", err, printed).isZero();
        String treeId = find(printed, "The demo event \\(tree (demo-[0-9a-f-]+)\\):");
        List<String> lines = printed.lines().toList();
        assertThat(printed).contains("added      svc-a/on-core-release", "Published: 7 added, 0 changed, 0 removed",
                "The matcher has indexed them", "Watch it live on " + web + "#/trees/" + treeId);
        assertThat(lines).filteredOn(l -> l.startsWith("[##############################] 100%  9/9 done"))
                .last().asString().endsWith(" · SUCCEEDED");
        assertThat(lines).filteredOn(l -> l.startsWith("[##############################] 100%  7/7 done · 2 failed"))
                .last().asString().endsWith(" · FAILED");
        // the tree, as fanout tree prints it: three levels, the retry, the cycle
        List<String> firstTree = section(printed, "tree " + treeId + "  ", "As expected:").lines().toList();
        assertThat(firstTree).anyMatch(l -> l.startsWith("tree " + treeId + "  lib-core:release  SUCCEEDED  9/9 done  "))
                .contains("  9 runs: 8 succeeded, 0 failed, 0 timed out, 1 skipped; 1 retry");
        assertThat(firstTree).filteredOn(l -> l.startsWith("  SUCCEEDED  svc-a/build  attempt 1  ")).singleElement()
                .asString().contains("[fan-out 3/3 done, SUCCEEDED]");
        assertThat(firstTree).filteredOn(l -> l.startsWith("  SUCCEEDED  docs-site/publish  attempt 1  ")).hasSize(1);
        assertThat(firstTree).filteredOn(l -> l.startsWith("    SUCCEEDED  acme/deployer/deploy  item 1  attempt 2  "))
                .singleElement().asString().contains("the us-east cluster refused the rollout");
        assertThat(firstTree).filteredOn(l -> l.startsWith("      SUCCEEDED  qa-suite/smoke  attempt 1  ")).hasSize(3);
        assertThat(firstTree).filteredOn(l -> l.startsWith("        SKIPPED    svc-a/build  attempt 1  (cycle)  ")).hasSize(1);
        // the TreeDone summary, compared with the design
        assertThat(printed).contains("TreeDone of " + treeId + " (read from fanout.tree-done, read_committed):")
                .containsPattern("  SUCCEEDED in [0-9.]+ m?s: 9 children, 8 succeeded, 0 failed, 0 timed out, 1 skipped, 1 retry\n")
                .contains("As expected: SUCCEEDED, 9 children, 8 succeeded, 0 failed, 1 skipped, 1 retry.")
                .doesNotContain("NOT AS EXPECTED")
                .endsWith("Stopping ...\nStopped.\n");
        assertThat(err.toString()).doesNotContain("error");
        // and the sample of docs/getting-started.md is what it prints, durations and ids aside
        assertThat(normalized(section(printed, "tree " + treeId + "  ", "As expected:")))
                .isEqualTo(normalized(documentedSample("demo-")));
        // Then the bad release: its deployments compensated, docs-site skipped by its dependency, as designed
        String badRelease = find(printed, "Then a bad release \\(tree (bad-release-[0-9a-f-]+)\\):");
        assertThat(lines).anyMatch(l -> l.startsWith("tree " + badRelease + "  lib-core:release  FAILED  7/7 done  "))
                .anyMatch(l -> l.startsWith("  SKIPPED    docs-site/publish  attempt 1  (dependency: "
                        + "svc-a/on-core-release ended FAILED (ALL, succeeded))"));
        assertThat(lines).filteredOn(l -> l.contains("[compensated by undeploy: SUCCEEDED]")).hasSize(2);
        assertThat(printed).contains("As expected: FAILED, 7 children, 4 succeeded, 2 failed, 1 skipped, 1 retry, "
                + "2 compensated.");
        assertThat(normalized(section(printed, "tree " + badRelease + "  ", "As expected:")))
                .isEqualTo(normalized(documentedSample("bad-release-")));
    }

    /** The ```text block of getting-started.md that shows the end of one demo tree's output. */
    private static String documentedSample(String treePrefix) throws Exception {
        Matcher m = Pattern.compile("```text\n(tree " + treePrefix + ".*?)```", Pattern.DOTALL)
                .matcher(Files.readString(DOCS.get(1)));
        assertThat(m.find()).as("the demo's output sample in %s", DOCS.get(1)).isTrue();
        return m.group(1);
    }

    /** From the line starting with {@code first} to the line starting with {@code last}, both included. */
    private static String section(String text, String first, String last) {
        int from = text.indexOf("\n" + first) + 1;
        int lastLine = text.indexOf("\n" + last, from);
        assertThat(from).as("a line starting with '%s' in:\n%s", first, text).isPositive();
        assertThat(lastLine).as("'%s' in:\n%s", last, text).isGreaterThan(from);
        return text.substring(from, text.indexOf('\n', lastLine + 1) + 1);
    }

    /** Durations, run ids and tree ids replaced, as they differ from run to run. */
    private static String normalized(String output) {
        return output.replaceAll("r-[0-9a-f]{32}", "RUN_ID").replaceAll("(demo|bad-release)-[0-9]{6}-[0-9a-f]{4}", "TREE_ID")
                .replaceAll("\\b[0-9]+ min [0-9]{2} s\\b", "DURATION")
                .replaceAll("\\b[0-9]+(\\.[0-9])? (ms|s)\\b", "DURATION");
    }

    /** The README's first command is the demo; every documented demo command is it, with or without --exit-when-done. */
    private static List<String> documentedDemoCommand() throws Exception {
        List<List<String>> readme = DocsCommandsIT.commands(Files.readString(DOCS.get(0)));
        assertThat(readme).as("./fanout commands of the README").isNotEmpty();
        assertThat(readme.get(0)).as("the README's first command").containsExactly("./fanout", "demo");
        Set<List<String>> demos = new LinkedHashSet<>();
        for (Path doc : DOCS) {
            for (List<String> command : DocsCommandsIT.commands(Files.readString(doc))) {
                if (command.get(1).equals("demo")) {
                    List<String> withExit = new ArrayList<>(command);
                    if (!withExit.contains("--exit-when-done")) {
                        withExit.add("--exit-when-done");
                    }
                    demos.add(withExit);
                }
            }
        }
        assertThat(demos).as("the documented demo commands, --exit-when-done added").hasSize(1);
        return demos.iterator().next();
    }

    private static String webPage(String printed) {
        Matcher m = WEB_PAGE.matcher(printed);
        return m.find() ? m.group(1) : null;
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in:\n%s", regex, text).isTrue();
        return m.group(1);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
