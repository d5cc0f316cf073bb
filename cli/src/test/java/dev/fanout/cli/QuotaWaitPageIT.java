package dev.fanout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fanout.app.FanoutDriver;
import dev.fanout.app.Samples;
import dev.fanout.query.DriverQueryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Runs waiting for their repository's {@code max_in_flight} on the web page, in headless Chromium: the
 * production topology in a test driver, with a real limit, read through the query API's own routes.
 */
class QuotaWaitPageIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static FanoutDriver fanout;
    private static DriverQueryServer server;
    private static ChromeDriver browser;

    @BeforeAll
    static void startTreesAndBrowser() {
        HeadlessChromium.requireInstalled();
        fanout = new FanoutDriver(dir.resolve("state"));
        fanout.subscribe(Samples.subscription("app-a", "per-target").setForeach("event.payload.targets").build());
        fanout.limit("app-a", 1);
        fanout.emit(Samples.event("rel-a").setPayload("{\"targets\":[\"linux\",\"mac\",\"win\"]}").build());
        fanout.emit(Samples.event("rel-b").setPayload("{\"targets\":[\"linux\",\"mac\"]}").build());
        server = DriverQueryServer.start(fanout, "token");
        browser = HeadlessChromium.start(dir);
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
    void aRunWaitingForItsRepositorysQuotaSaysHowManyAreAheadOfIt() {
        // Given one slot of app-a held by rel-a's first run; rel-a has two runs waiting, then rel-b two

        // When rel-b is opened
        browser.get(server.url() + "/#/trees/rel-b");

        // Then its runs say what they wait for, and how many runs of app-a will be triggered before each
        eventually(QuotaWaitPageIT::waitingTexts, texts -> texts.size() == 2);
        assertThat(waitingTexts()).containsExactly("waiting for max_in_flight of app-a (1 ahead)",
                "waiting for max_in_flight of app-a (3 ahead)");
        // and the tooltip gives the repository's counts
        assertThat(browser.findElements(By.cssSelector(".waiting-for")).get(0).getAttribute("title"))
                .isEqualTo("app-a: 1 in flight of 1, 4 waiting");
    }

    private static List<String> waitingTexts() {
        return browser.findElements(By.cssSelector(".waiting-for")).stream().map(WebElement::getText)
                .map(String::strip).toList();
    }

    private static <T> void eventually(Callable<T> shown, Predicate<? super T> expected) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(shown, expected::test);
    }
}
