package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.app.Samples;
import dev.fanout.avro.Counts;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.Trigger;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import dev.fanout.testkit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The web page in headless Chromium against a real Fanout (testkit broker, embedded registry, query API on
 * a free port), with workers simulated by reporting run statuses. The steps follow one tree from running
 * to done, so they run in order on one browser.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String TREE = "release-2.0.0";
    private static final String WIDE = "nightly-wide";
    private static final String UNKNOWN = "no-such-tree";
    private static final String ROOT_ROWS = ".runs > .child-list > ul > li.node";
    private static final String ROOT_SHOWN = ".runs > .child-list > .more-row .shown";

    @TempDir
    static Path dir;

    private static LiveFanout fanout;
    private static SimulatedWorkers workers;
    private static ChromeDriver browser;
    private static final List<String> consoleErrors = new ArrayList<>();
    private static Trigger build;
    private static Trigger test;

    @BeforeAll
    static void startFanoutAndBrowser(EmbeddedKafkaBroker broker) throws Exception {
        HeadlessChromium.requireInstalled();
        fanout = LiveFanout.start(broker.bootstrapServers(), dir.resolve("state"));
        workers = new SimulatedWorkers(fanout);
        fanout.subscribe(
                Samples.subscription("app-a", "on-release").setWorkflow("build").build(),
                Samples.subscription("app-b", "on-release").setWorkflow("test").build(),
                Samples.subscription("app-c", "deploy-image").setArtifact("app-a:image").setWorkflow("deploy")
                        .setForeach("event.payload.regions").setRetry(new RetryPolicy(2, 100L, 1.0)).build(),
                Samples.subscription("app-w", "per-item").setArtifact("wide:release").setWorkflow("item")
                        .setForeach("event.payload.items").build());
        browser = HeadlessChromium.start(dir);
    }

    @AfterEach
    void keepConsoleErrors() {
        if (browser != null) {
            for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
                if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    consoleErrors.add(entry.getMessage());
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (fanout != null) {
            fanout.close();
        }
    }

    @Test
    @Order(1)
    void theRecentTreesListARunningTree() throws Exception {
        workers.emitRoot(TREE, Samples.ARTIFACT, "{\"channel\":\"stable\"}");
        build = fanout.awaitTrigger(t -> t.getTreeId().equals(TREE) && t.getSubscriptionId().equals("app-a/on-release"));
        test = fanout.awaitTrigger(t -> t.getTreeId().equals(TREE) && t.getSubscriptionId().equals("app-b/on-release"));
        workers.start(build);
        workers.start(test);

        browser.get(fanout.apiUrl() + "/");

        String row = "tr[data-tree-id='" + TREE + "']";
        eventually(() -> text(row), t -> t.contains("RUNNING") && t.contains(Samples.ARTIFACT) && t.contains("0 / 2"));
        assertThat(browser.getTitle()).isEqualTo("Trees · Fanout");
        assertThat(browser.findElement(By.cssSelector("label[for='status-filter']")).getText()).isEqualTo("Show");
    }

    @Test
    @Order(2)
    void theTreeViewShowsProgressAsRunsFinish() throws Exception {
        browser.findElement(By.linkText(TREE)).click();
        eventually(() -> browser.findElements(By.cssSelector(ROOT_ROWS)).size(), n -> n == 2);
        assertThat(browser.getCurrentUrl()).endsWith("#/trees/" + TREE);
        assertThat(fact("done")).isEqualTo("0 / 2");

        workers.succeed(test);

        // the page follows without a reload
        eventually(() -> fact("done"), "1 / 2"::equals);
        eventually(() -> text("li[data-run-id='" + test.getRunId() + "'] .badge"), "SUCCEEDED"::equals);
        WebElement bar = browser.findElement(By.cssSelector(".summary [role='progressbar']"));
        assertThat(bar.getAttribute("aria-valuenow")).isEqualTo("1");
        assertThat(bar.getAttribute("aria-valuemax")).isEqualTo("2");
        assertThat(text("#tree-status")).isEqualTo("RUNNING");
    }

    @Test
    @Order(3)
    void aNestedFanOutExpandsFromTheKeyboard() throws Exception {
        workers.emitFrom(build, "image-2.0.0", "app-a:image", "{\"regions\":[\"eu-west\",\"us-east\",\"ap-south\"]}");
        List<Trigger> deploys = sortedByItem(fanout.awaitTriggers(t -> t.getFanOutId().equals("image-2.0.0"), 3));
        String buildRow = "li[data-run-id='" + build.getRunId() + "']";
        eventually(() -> browser.findElements(By.cssSelector(buildRow + " > .node-line .toggle")).size(), n -> n == 1);
        WebElement toggle = browser.findElement(By.cssSelector(buildRow + " > .node-line .toggle"));
        assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("false");

        toggle.sendKeys(Keys.ENTER);

        String nested = buildRow + " > .child-list li.node";
        eventually(() -> browser.findElements(By.cssSelector(nested)).stream().map(WebElement::getText).toList(),
                rows -> rows.size() == 3 && rows.get(0).contains("app-c/deploy") && rows.get(0).contains("#0")
                        && rows.get(2).contains("#2"));
        // the page re-renders rows as the tree changes: read them again until they show it (no stale element)
        eventually(() -> browser.findElement(By.cssSelector(buildRow + " > .node-line .toggle"))
                .getAttribute("aria-expanded"), "true"::equals);
        eventually(() -> text(buildRow + " > .node-line .children-count"), "0/3 below"::equals);

        // a deployment succeeds, another fails and is retried: the expanded rows follow
        workers.succeed(deploys.get(0));
        workers.fail(deploys.get(1), "eu capacity", true);
        Trigger retry = fanout.awaitTrigger(t -> t.getRunId().equals(deploys.get(1).getRunId()) && t.getAttempt() == 2);
        workers.start(retry);
        workers.start(deploys.get(2));
        workers.progress(deploys.get(2), "rolling out 2 of 5 hosts", "{\"hosts\": 5}");
        eventually(() -> text("li[data-run-id='" + retry.getRunId() + "'] > .node-line"),
                t -> t.contains("RUNNING") && t.contains("attempt 2"));
        String progressing = "li[data-run-id='" + deploys.get(2).getRunId() + "'] > .node-line .progress-note";
        eventually(() -> text(progressing), "rolling out 2 of 5 hosts"::equals);
        eventually(() -> browser.findElement(By.cssSelector(progressing)).getAttribute("title"),
                title -> title.contains("attempt 1") && title.contains("{\"hosts\":5}"));
        eventually(() -> text(buildRow + " > .node-line .children-count"), "1/3 below"::equals);
        screenshot("tree-view.png");
    }

    @Test
    @Order(4)
    void theTreeShowsCompletionWithTheCountsOfItsTreeDone() throws Exception {
        List<Trigger> deploys = sortedByItem(fanout.awaitTriggers(
                t -> t.getFanOutId().equals("image-2.0.0") && (t.getItemIndex() != 1 || t.getAttempt() == 2), 3));
        for (Trigger deploy : deploys) {
            workers.succeed(deploy);
        }
        workers.succeed(build);

        TreeDone done = fanout.awaitTreeDone(TREE);

        eventually(() -> text("#tree-status"), done.getStatus().toString()::equals);
        Counts counts = done.getCounts();
        assertThat(counts.getTotal()).as("two runs and three deployments").isEqualTo(5);
        assertThat(fact("done")).isEqualTo(counts.getTotal() + " / " + counts.getTotal());
        assertThat(fact("succeeded")).isEqualTo(String.valueOf(counts.getSucceeded()));
        assertThat(fact("failed")).isEqualTo(String.valueOf(counts.getFailed()));
        assertThat(fact("timed_out")).isEqualTo(String.valueOf(counts.getTimedOut()));
        assertThat(fact("skipped")).isEqualTo(String.valueOf(counts.getSkipped()));
        assertThat(fact("retries")).isEqualTo(String.valueOf(counts.getRetries())).isEqualTo("1");
        eventually(() -> text(".live-status"), "Done: SUCCEEDED."::equals);
        screenshot("tree-done.png");

        // and it stops asking once the tree is done
        ((JavascriptExecutor) browser).executeScript("performance.clearResourceTimings();");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> treeRequests() == 0);
    }

    @Test
    @Order(5)
    void anUnknownTreeShowsNotFound() {
        browser.get(fanout.apiUrl() + "/#/trees/" + UNKNOWN);

        eventually(() -> text("main h1"), "Tree not found"::equals);
        assertThat(text("main .summary")).contains(UNKNOWN);
        assertThat(browser.getTitle()).isEqualTo("Not found · Fanout");
    }

    @Test
    @Order(6)
    void aWideFanOutShowsItsFirstPageAndLoadMoreAddsTheNext() throws Exception {
        String items = IntStream.range(0, 2_500).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
        workers.emitRoot(WIDE, "wide:release", "{\"items\":" + items + "}");
        fanout.awaitTriggers(t -> t.getTreeId().equals(WIDE), 2_500);

        browser.get(fanout.apiUrl() + "/#/trees/" + WIDE);

        eventually(() -> browser.findElements(By.cssSelector(ROOT_ROWS)).size(), n -> n == 50);
        assertThat(fact("done")).isEqualTo("0 / 2,500");
        assertThat(rootRow(0)).contains("app-w/item").contains("#0");
        assertThat(rootRow(49)).contains("#49");
        assertThat(text(ROOT_SHOWN)).isEqualTo("50 shown, more to load");

        browser.findElement(By.cssSelector(".runs > .child-list > .more-row .load-more")).click();

        eventually(() -> browser.findElements(By.cssSelector(ROOT_ROWS)).size(), n -> n == 100);
        assertThat(rootRow(99)).contains("#99");
        eventually(() -> text(ROOT_SHOWN), "100 shown, more to load"::equals);
        assertThat(browser.findElements(By.cssSelector("li.node"))).as("never the whole fan-out").hasSize(100);
        screenshot("wide-fan-out.png");
    }

    @Test
    @Order(7)
    void thePageLoggedNoErrorsButTheUnknownTrees404() {
        assertThat(consoleErrors)
                .filteredOn(m -> !(m.contains("/api/trees/" + UNKNOWN) && m.contains("404")))
                .isEmpty();
        assertThat(consoleErrors).as("the browser logs the unknown tree's 404").isNotEmpty();
    }

    private static List<Trigger> sortedByItem(List<Trigger> triggers) {
        return triggers.stream().sorted(java.util.Comparator.comparing(Trigger::getItemIndex)).toList();
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText().strip();
    }

    private static String fact(String name) {
        return text("[data-fact='" + name + "'] dd");
    }

    private static String rootRow(int index) {
        return browser.findElements(By.cssSelector(ROOT_ROWS)).get(index).getText();
    }

    /** Requests this page made for the tree's summary so far. */
    private static long treeRequests() {
        Object n = ((JavascriptExecutor) browser).executeScript("return performance.getEntriesByType('resource')"
                + ".filter(function (e) { return e.name.indexOf('/api/trees/" + TREE + "') >= 0"
                + " && e.name.indexOf('/nodes') < 0; }).length;");
        return ((Number) n).longValue();
    }

    /** Waits for what the page shows to satisfy {@code expected}; rows are re-drawn as the tree changes. */
    private static <T> void eventually(Callable<T> shown, Predicate<? super T> expected) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(shown, expected::test);
    }

    private static void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name.toLowerCase(Locale.ROOT)), browser.getScreenshotAs(OutputType.BYTES));
    }
}
