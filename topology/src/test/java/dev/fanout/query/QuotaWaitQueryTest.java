package dev.fanout.query;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fanout.app.FanoutDriver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs waiting for a slot of their repository's {@code max_in_flight}, as the query API shows them. */
class QuotaWaitQueryTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;
    private DriverQueries api;

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir);
        api = new DriverQueries(fanout);
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void aRunWaitingForItsRepositorysQuotaIsInQuotaWaitAndSaysWhatItWaitsFor() {
        // Given app-a may have one run in flight, and a tree of its two targets
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
        fanout.limit("app-a", 1);
        fanout.emit(event("e1").build());

        // When its nodes are asked for
        JsonNode nodes = api.json("/api/trees/e1/nodes").get("nodes");

        // Then one is triggered, the other waits for app-a's max_in_flight
        List<String> seen = new ArrayList<>();
        nodes.forEach(node -> seen.add(node.get("status").asText() + " " + node.get("waiting_for")));
        assertThat(seen).containsExactlyInAnyOrder("TRIGGERED null", "QUOTA_WAIT [\"max_in_flight of app-a\"]");
        // and the fan-out's picture counts it
        JsonNode group = api.json("/api/trees/e1/fan-outs/e1/graph").get("groups").get(0);
        assertThat(group.get("statuses").get("QUOTA_WAIT").asInt()).isEqualTo(1);
    }
}
