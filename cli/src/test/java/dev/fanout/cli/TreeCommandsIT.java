package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.app.Samples;
import dev.fanout.avro.Counts;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.testkit.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code fanout tree} and {@code fanout watch} against a real Fanout's query API, with simulated workers. */
@ExtendWith(KafkaBrokerExtension.class)
class TreeCommandsIT {

    /** The tree of docs/web.md's examples. */
    private static final String TREE = "release-2.0.0";
    private static final Path DOC = Path.of("..", "docs", "web.md");
    private static final Pattern DURATION = Pattern.compile("\\b(\\d+ h \\d\\d min|\\d+ min \\d\\d s|\\d+(\\.\\d)? m?s)\\b");

    @TempDir
    static Path dir;

    private static LiveFanout fanout;
    private static SimulatedWorkers workers;

    @BeforeAll
    static void startFanout(EmbeddedKafkaBroker broker) throws Exception {
        fanout = LiveFanout.start(broker.bootstrapServers(), dir.resolve("state"));
        workers = new SimulatedWorkers(fanout);
        fanout.subscribe(
                Samples.subscription("app-a", "on-release").setWorkflow("build").build(),
                Samples.subscription("app-b", "on-release").setWorkflow("test").build(),
                Samples.subscription("app-c", "deploy-image").setArtifact("app-a:image").setWorkflow("deploy")
                        .setForeach("event.payload.regions").build(),
                Samples.subscription("app-w", "per-item").setArtifact("wide:release").setWorkflow("item")
                        .setForeach("event.payload.items").build());
    }

    @AfterAll
    static void stopFanout() {
        if (fanout != null) {
            fanout.close();
        }
    }

    @Test
    void treePrintsEveryRunWithNestedFanOutsIndentedAndWatchFollowsItToSuccess() throws Exception {
        // Given a running tree: app-b done, app-a running with a nested fan-out of three deployments, one done
        Trigger build = rootRun(TREE, "app-a/on-release");
        Trigger test = rootRun(TREE, "app-b/on-release");
        workers.start(build);
        workers.succeed(test);
        workers.emitFrom(build, "image-2.0.0", "app-a:image", "{\"regions\":[\"eu\",\"us\",\"ap\"]}");
        List<Trigger> deploys = byItem(fanout.awaitTriggers(t -> t.getFanOutId().equals("image-2.0.0"), 3));
        workers.succeed(deploys.get(0));
        fanout.awaitCaughtUp();

        CliRun tree = cli(documented("tree"));
        System.out.println(tree.out());

        assertThat(tree.exitCode()).as(tree.err()).isZero();
        List<String> lines = tree.out().lines().toList();
        assertThat(lines.get(0)).startsWith("tree " + TREE + "  lib-core:release  RUNNING  2/5 done  ");
        assertThat(lines).contains("  5 runs: 2 succeeded, 0 failed, 0 timed out, 0 skipped; 0 retries; "
                + "3 running, 0 queued, 2 open fan-outs");
        assertThat(lines).filteredOn(l -> l.startsWith("  RUNNING    app-a/build  attempt 1  ")).singleElement()
                .satisfies(l -> assertThat(l).contains("[fan-out 1/3 done, RUNNING]").endsWith(build.getRunId()));
        assertThat(lines).filteredOn(l -> l.startsWith("  SUCCEEDED  app-b/test  attempt 1  ")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.startsWith("    ")).as("the deployments, indented below app-a")
                .extracting(l -> l.substring(0, l.indexOf("  attempt")))
                .containsExactly("    SUCCEEDED  app-c/deploy  item 0", "    TRIGGERED  app-c/deploy  item 1",
                        "    TRIGGERED  app-c/deploy  item 2");

        assertThat(masked(tree.out())).as("the output shown in %s", DOC).isEqualTo(masked(sampleAfter("./fanout tree ")));

        CliRun shallow = cli("tree", TREE, "--depth", "1");
        assertThat(shallow.out()).contains("    ... 3 children below (raise --depth to see them)")
                .doesNotContain("app-c/deploy");

        // When watch follows it while the rest succeeds
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] watchArgs = with(documented("watch"), "--interval", "200", "--api", fanout.apiUrl());
        CompletableFuture<Integer> watch = CompletableFuture.supplyAsync(() -> FanoutCli.execute(watchArgs,
                new PrintWriter(out, true), new PrintWriter(err, true)));
        await().atMost(LiveFanout.PATIENCE).until(() -> out.toString().contains("2/5 done") || watch.isDone());
        workers.succeed(deploys.get(1));
        workers.succeed(deploys.get(2));
        workers.succeed(build);
        TreeDone done = fanout.awaitTreeDone(TREE);
        CliRun watched = new CliRun(watch.get(LiveFanout.PATIENCE.toSeconds(), TimeUnit.SECONDS), out.toString(),
                err.toString());

        // Then it printed progress lines until the end, and TreeDone's summary, and exits 0
        assertThat(watched.exitCode()).as(watched.err()).isZero();
        Counts c = done.getCounts();
        assertThat(watched.out()).doesNotContain("\r")
                .contains("  " + c.getTotal() + " runs: " + c.getSucceeded() + " succeeded, " + c.getFailed()
                        + " failed, " + c.getTimedOut() + " timed out, " + c.getSkipped() + " skipped; 0 retries")
                .contains("Tree " + TREE + " SUCCEEDED in ");
        System.out.println(watched.out());
        List<String> shown = masked(watched.out()).lines().toList();
        List<String> sample = masked(sampleAfter("./fanout watch ")).lines().toList();
        assertThat(shown).as("the output shown in %s", DOC).containsAll(sample)
                .endsWith(sample.subList(sample.size() - 3, sample.size()).toArray(String[]::new));
        List<String> progress = watched.out().lines().filter(l -> l.startsWith("[")).toList();
        assertThat(progress.get(0)).contains("2/5 done").contains(" running · ");
        assertThat(progress.get(progress.size() - 1)).startsWith("[##############################] 100%  5/5 done")
                .endsWith(" · SUCCEEDED");
        assertThat(progress).doesNotHaveDuplicates();
    }

    @Test
    void watchExitsNonZeroWithTheFailuresWhenTheTreeFails() throws Exception {
        Trigger build = rootRun("cli-2", "app-a/on-release");
        Trigger test = rootRun("cli-2", "app-b/on-release");
        workers.fail(build, "compile error in Main.java", false);
        workers.succeed(test);
        fanout.awaitTreeDone("cli-2");

        CliRun watched = cli("watch", "cli-2");
        CliRun inPlace = cli("watch", "cli-2", "--in-place");

        assertThat(watched.exitCode()).isEqualTo(WatchCommand.EXIT_NOT_SUCCEEDED);
        assertThat(watched.out()).contains("Tree cli-2 FAILED in ")
                .contains("  2 runs: 1 succeeded, 1 failed, 0 timed out, 0 skipped; 0 retries")
                .contains("  failed: app-a/on-release (" + build.getRunId() + "): compile error in Main.java");
        assertThat(inPlace.exitCode()).isEqualTo(WatchCommand.EXIT_NOT_SUCCEEDED);
        assertThat(inPlace.out()).startsWith("\r[##############################] 100%  2/2 done · 1 failed")
                .contains(" · FAILED\nTree cli-2 FAILED");
    }

    @Test
    void anUnknownTreeIsNamedWithTheApiThatWasAsked() {
        CliRun tree = cli("tree", "no-such-tree");
        CliRun watch = cli("watch", "no-such-tree");

        assertThat(tree.exitCode()).isEqualTo(1);
        assertThat(tree.err()).contains("error: tree 'no-such-tree' not found at " + fanout.apiUrl() + ": ");
        assertThat(watch.exitCode()).isEqualTo(1);
        assertThat(watch.err()).contains("tree 'no-such-tree' not found at " + fanout.apiUrl());
    }

    @Test
    void aTreeOf2500ChildrenPrintsTheFirstOnesAndSaysThereAreMore() throws Exception {
        String items = IntStream.range(0, 2_500).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
        workers.emitRoot("cli-wide", "wide:release", "{\"items\":" + items + "}");
        fanout.awaitTriggers(t -> t.getTreeId().equals("cli-wide"), 2_500);
        fanout.awaitCaughtUp();

        CliRun few = cli("tree", "cli-wide", "--max-children", "5");
        CliRun many = cli("tree", "cli-wide", "--max-children", "1200");

        assertThat(few.exitCode()).as(few.err()).isZero();
        assertThat(few.out().lines().filter(l -> l.contains("app-w/item"))).hasSize(5);
        assertThat(few.out()).contains("0/2500 done").contains("  ... more children not shown (raise --max-children, now 5)");
        List<String> rows = many.out().lines().filter(l -> l.contains("app-w/item")).toList();
        assertThat(rows).as("two pages, read with the cursor").hasSize(1200);
        assertThat(rows.get(1199)).contains("item 1199  attempt 1");
    }

    /** The arguments of the {@code ./fanout <command>} line in docs/web.md. */
    private static String[] documented(String command) throws Exception {
        return DocsCommandsIT.commands(Files.readString(DOC)).stream().filter(c -> c.get(1).equals(command))
                .findFirst().orElseThrow(() -> new AssertionError("no ./fanout " + command + " in " + DOC))
                .stream().skip(1).toArray(String[]::new);
    }

    /** The ```text block that follows the shell block holding {@code commandPrefix}. */
    private static String sampleAfter(String commandPrefix) throws Exception {
        String doc = Files.readString(DOC);
        int at = doc.indexOf("```shell\n" + commandPrefix);
        assertThat(at).as("a shell block starting with %s in %s", commandPrefix, DOC).isNotNegative();
        int start = doc.indexOf("```text\n", at) + "```text\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    /** Durations vary from run to run; everything else (run ids included) is deterministic. */
    private static String masked(String text) {
        return DURATION.matcher(text).replaceAll("<duration>");
    }

    private static String[] with(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    private static Trigger rootRun(String tree, String subscription) throws Exception {
        if (fanout.triggers().stream().noneMatch(t -> t.getTreeId().equals(tree))) {
            workers.emitRoot(tree, Samples.ARTIFACT, "{\"channel\":\"stable\"}");
        }
        return fanout.awaitTrigger(t -> t.getTreeId().equals(tree) && t.getSubscriptionId().equals(subscription));
    }

    private static List<Trigger> byItem(List<Trigger> triggers) {
        return triggers.stream().sorted(Comparator.comparing(Trigger::getItemIndex)).toList();
    }

    private static CliRun cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--api";
        all[args.length + 1] = fanout.apiUrl();
        return CliRun.of(all);
    }
}
