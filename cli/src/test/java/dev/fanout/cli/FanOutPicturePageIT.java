package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.app.FanoutDriver;
import dev.fanout.app.Samples;
import dev.fanout.avro.DependencyCondition;
import dev.fanout.avro.DependencyMode;
import dev.fanout.avro.DependsOn;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.FanOutState;
import dev.fanout.avro.internal.RunNode;
import dev.fanout.avro.internal.RunNodeStatus;
import dev.fanout.avro.internal.StopCause;
import dev.fanout.query.DriverQueryServer;
import dev.fanout.query.DriverStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The picture of a fan-out whose children depend on each other, and the Cancel button, in headless Chromium.
 * The tree runs on the production topology in a test driver; the states that sibling dependencies,
 * compensation and fail-fast bring (WAITING runs, a compensation run, a stopped fan-out) are written into its
 * stores, and the page reads them through the query API's own routes. The steps follow one tree.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FanOutPicturePageIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String TREE = "release-3.0.0";
    private static final String TOKEN = "s3cret-token";
    private static final Pattern TRANSLATE = Pattern.compile("translate\\((\\d+(?:\\.\\d+)?),");

    @TempDir
    static Path dir;

    private static FanoutDriver fanout;
    private static DriverStores stores;
    private static DriverQueryServer server;
    private static ChromeDriver browser;
    private static final List<String> consoleErrors = new ArrayList<>();
    private static final List<Trigger> builds = new ArrayList<>();
    private static Trigger test;
    private static Trigger deploy;
    private static Trigger notify;

    @BeforeAll
    static void startTreeAndBrowser() {
        HeadlessChromium.requireInstalled();
        fanout = new FanoutDriver(dir.resolve("state"));
        stores = new DriverStores(fanout);
        fanout.subscribe(Samples.subscription("app-a", "build").setWorkflow("build")
                .setForeach("event.payload.targets").build());
        fanout.subscribe(Samples.subscription("app-b", "test").setWorkflow("test").build());
        fanout.subscribe(Samples.subscription("app-c", "deploy").setWorkflow("deploy").build());
        fanout.subscribe(Samples.subscription("app-d", "notify").setWorkflow("notify").build());
        fanout.emit(Samples.event(TREE).setPayload("{\"targets\":[\"linux\",\"mac\",\"win\"]}").build());
        List<Trigger> triggers = fanout.triggers();
        triggers.stream().filter(t -> t.getSubscriptionId().equals("app-a/build"))
                .sorted(Comparator.comparing(Trigger::getItemIndex)).forEach(builds::add);
        test = only(triggers, "app-b/test");
        deploy = only(triggers, "app-c/deploy");
        notify = only(triggers, "app-d/notify");
        server = DriverQueryServer.start(fanout, TOKEN);
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
        if (server != null) {
            server.close();
        }
        if (fanout != null) {
            fanout.close();
        }
    }

    @Test
    @Order(1)
    void theFanOutIsDrawnAsGroupsByLevelWithItsDependencyEdgesAndStatusColours() {
        // Given build over three targets (two done, one running); test and notify wait for build (notify for
        // it to fail), deploy waits for test
        server.change(() -> {
            stores.run(builds.get(0).getRunId(), run -> run.setStatus(RunNodeStatus.SUCCEEDED));
            stores.run(builds.get(1).getRunId(), run -> run.setStatus(RunNodeStatus.SUCCEEDED));
            stores.run(builds.get(2).getRunId(), run -> run.setStatus(RunNodeStatus.RUNNING));
            waiting(test, "app-a/build", DependencyCondition.SUCCEEDED);
            waiting(deploy, "app-b/test", DependencyCondition.SUCCEEDED);
            waiting(notify, "app-a/build", DependencyCondition.FAILED);
            stores.fanOut(TREE, fanOut -> fanOut.setState(FanOutState.RUNNING).setWaiting(3));
        });

        // When the tree is opened
        browser.get(server.url() + "/#/trees/" + TREE);

        // Then the picture has one box per subscription, build's three items in one
        eventually(() -> groups().keySet(), ids -> ids.size() == 4);
        assertThat(groups()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app-a/build", "RUNNING", "app-b/test", "WAITING", "app-c/deploy", "WAITING", "app-d/notify", "WAITING"));
        assertThat(groupText("app-a/build")).contains("app-a/build").contains("3 items");
        // laid out left to right by level: build, then test and notify, then deploy
        assertThat(x("app-a/build")).isLessThan(x("app-b/test"));
        assertThat(x("app-b/test")).isEqualTo(x("app-d/notify")).isLessThan(x("app-c/deploy"));
        // with an arrow from each dependency to what waits for it, notify's marked as waiting for a failure
        assertThat(edges()).containsExactlyInAnyOrder(
                "app-a/build>app-b/test", "app-b/test>app-c/deploy", "app-a/build>app-d/notify");
        assertThat(text("svg.graph g.edge[data-to='app-d/notify'] .edge-label")).isEqualTo("failed");
        // in the colours of the statuses
        assertThat(stroke("app-a/build")).isEqualTo("rgb(31, 111, 235)");
        assertThat(stroke("app-b/test")).isEqualTo("rgb(163, 106, 0)");
        assertThat(text("#picture-facts")).contains("3 waiting for their dependencies");
        // and the list says what a waiting run waits for
        eventually(() -> text(row(test) + " > .node-line"), t -> t.contains("WAITING") && t.contains("waiting for app-a/build"));
    }

    @Test
    @Order(2)
    void aFailureSkipsTheDependentsWithTheirReasonAndTheCompensationRunShowsBesideTheRunItUndoes() throws Exception {
        // When build fails on win: test and deploy are skipped, notify runs, linux's build is being undone
        server.change(() -> {
            stores.run(builds.get(2).getRunId(), run -> run.setStatus(RunNodeStatus.FAILED).setError("disk full"));
            skipped(test, "dependency app-a/build ended FAILED");
            skipped(deploy, "dependency app-b/test ended SKIPPED");
            stores.run(notify.getRunId(), run -> run.setStatus(RunNodeStatus.TRIGGERED));
            RunNode undone = stores.run(builds.get(0).getRunId(), run -> run.setCompensateWorkflow("rollback")
                    .setCompensationRunId("r-rollback-linux"));
            stores.runs().put("r-rollback-linux", RunNode.newBuilder(undone).setRunId("r-rollback-linux")
                    .setWorkflow("rollback").setCompensates(undone.getRunId()).setCompensationRunId(null)
                    .setStatus(RunNodeStatus.RUNNING).build());
            stores.fanOut(TREE, fanOut -> {
                fanOut.setState(FanOutState.COMPENSATING).setStop(StopCause.FAIL_FAST).setWaiting(0).setDoneChildren(5L);
                fanOut.getCounts().setSucceeded(2L);
                fanOut.getCounts().setFailed(1L);
                fanOut.getCounts().setSkipped(2L);
            });
            stores.tree(TREE, tree -> {
                tree.setRunning(1L);
                tree.getCounts().setSucceeded(2L);
                tree.getCounts().setFailed(1L);
                tree.getCounts().setSkipped(2L);
            });
        });

        // Then the page follows: build red, test and deploy skipped, notify triggered
        eventually(FanOutPicturePageIT::groups, groups -> groups.equals(Map.of("app-a/build", "FAILED",
                "app-b/test", "SKIPPED", "app-c/deploy", "SKIPPED", "app-d/notify", "TRIGGERED")));
        eventually(() -> stroke("app-a/build"), "rgb(207, 34, 46)"::equals);
        eventually(() -> text("#picture-facts"), t -> t.contains("compensating") && t.contains("fail fast"));
        // the skipped runs say why, and linux's build shows its compensation run just below it
        eventually(() -> text(row(test) + " > .node-line .reason"), "dependency app-a/build ended FAILED"::equals);
        eventually(() -> text(row(deploy) + " > .node-line .reason"), "dependency app-b/test ended SKIPPED"::equals);
        String compensation = row(builds.get(0)) + " > .compensation";
        eventually(() -> text(compensation), t -> t.contains("undone by") && t.contains("RUNNING")
                && t.contains("app-a/rollback") && t.contains("r-rollback-linux"));
        ((JavascriptExecutor) browser).executeScript("document.querySelector('.cancel').scrollIntoView();");
        screenshot("fan-out-picture.png");
    }

    @Test
    @Order(3)
    void cancelAsksForTheTokenOnceSendsItAsABearerTokenAndSaysWhatTheApiAnswered() {
        // When Cancel is pressed and a wrong token given
        click("#cancel-tree");
        assertThat(browser.findElement(By.id("cancel-token")).isDisplayed()).isTrue();
        browser.findElement(By.id("cancel-token")).sendKeys("wrong");
        click("#cancel-confirm");

        // Then the API refuses it, and the page says so and asks again
        eventually(() -> text("#cancel-result"), t -> t.startsWith("Token refused"));
        assertThat(server.cancels()).extracting(DriverQueryServer.CancelRequest::authorization, DriverQueryServer.CancelRequest::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Bearer wrong", 401));

        // When the right token is given
        browser.findElement(By.id("cancel-token")).sendKeys(TOKEN);
        click("#cancel-confirm");

        // Then the cancel is requested with it
        eventually(() -> text("#cancel-result"), t -> t.startsWith("Cancel requested"));
        assertThat(server.cancels().get(1)).isEqualTo(new DriverQueryServer.CancelRequest(TREE, "Bearer " + TOKEN, 202));
        assertThat(browser.findElement(By.id("cancel-tree")).isDisplayed()).isFalse();

        // and once the tree is opened again, Cancel sends the kept token without asking
        browser.get(server.url() + "/#/");
        browser.get(server.url() + "/#/trees/" + TREE);
        eventually(() -> browser.findElement(By.id("cancel-tree")).isDisplayed(), shown -> shown);
        click("#cancel-tree");
        assertThat(browser.findElement(By.id("cancel-token")).isDisplayed()).isFalse();
        click("#cancel-confirm");
        eventually(() -> server.cancels().size(), n -> n == 3);
        assertThat(server.cancels().get(2).authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    @Order(4)
    void thePageLoggedNoErrorsButTheRefusedToken() {
        assertThat(consoleErrors).filteredOn(m -> !(m.contains("/cancel") && m.contains("401"))).isEmpty();
    }

    private static void waiting(Trigger trigger, String dependency, DependencyCondition condition) {
        stores.run(trigger.getRunId(), run -> run.setStatus(RunNodeStatus.WAITING)
                .setDependsOn(new DependsOn(List.of(dependency), DependencyMode.ALL, condition)));
    }

    private static void skipped(Trigger trigger, String reason) {
        stores.run(trigger.getRunId(), run -> run.setStatus(RunNodeStatus.SKIPPED).setReason(reason)
                .setFinishedAt(fanout.now().toEpochMilli()));
    }

    private static Trigger only(List<Trigger> triggers, String subscriptionId) {
        return triggers.stream().filter(t -> t.getSubscriptionId().equals(subscriptionId)).findFirst().orElseThrow();
    }

    /** The groups drawn: subscription id to the status it is drawn with. */
    private static Map<String, String> groups() {
        Map<String, String> groups = new TreeMap<>();
        for (WebElement g : browser.findElements(By.cssSelector("svg.graph g.group"))) {
            groups.put(g.getAttribute("data-subscription-id"), g.getAttribute("data-status"));
        }
        return groups;
    }

    private static String groupSelector(String subscriptionId) {
        return "svg.graph g.group[data-subscription-id='" + subscriptionId + "']";
    }

    /** Read in one script, as the picture is drawn again when the fan-out changes. */
    private static String script(String body, String subscriptionId) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "var g = document.querySelector(arguments[0]); " + body, groupSelector(subscriptionId));
    }

    private static String groupText(String subscriptionId) {
        return script("return g.textContent;", subscriptionId);
    }

    private static double x(String subscriptionId) {
        Matcher m = TRANSLATE.matcher(script("return g.getAttribute('transform');", subscriptionId));
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static List<String> edges() {
        return browser.findElements(By.cssSelector("svg.graph g.edge")).stream()
                .map(e -> e.getAttribute("data-from") + ">" + e.getAttribute("data-to")).toList();
    }

    /** The colour a group's box is outlined with, as the browser computed it. */
    private static String stroke(String subscriptionId) {
        return script("return getComputedStyle(g.querySelector('.group-box')).stroke;", subscriptionId);
    }

    private static String row(Trigger trigger) {
        return "li[data-run-id='" + trigger.getRunId() + "']";
    }

    private static void click(String css) {
        browser.findElement(By.cssSelector(css)).click();
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText().strip();
    }

    private static <T> void eventually(Callable<T> shown, Predicate<? super T> expected) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(shown, expected::test);
    }

    private static void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name.toLowerCase(Locale.ROOT)), browser.getScreenshotAs(OutputType.BYTES));
    }
}
