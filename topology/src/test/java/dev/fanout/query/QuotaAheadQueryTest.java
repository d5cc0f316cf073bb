package dev.fanout.query;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fanout.admission.QuotaPositions;
import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many runs are ahead of a run in QUOTA_WAIT, as the query API shows it: exact under the admission
 * stage's round-robin across trees, on the production topology.
 */
class QuotaAheadQueryTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;
    private DriverQueries api;

    @BeforeEach
    void start() {
        fanout = new FanoutDriver(stateDir);
        api = new DriverQueries(fanout);
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    /** One slot; trees of five, two and three children in that order: one run of the first is in flight. */
    private void threeTreesOnOneSlot() {
        fanout.limit("app-a", 1);
        fanout.emit(event("ta").setPayload(targets(5)).build());
        fanout.emit(event("tb").setPayload(targets(2)).build());
        fanout.emit(event("tc").setPayload(targets(3)).build());
    }

    @Test
    void eachWaitingRunShowsHowManyRunsWillBeGrantedBeforeItRoundRobinAcrossTrees() {
        // Given one slot held by ta's first run; ta has four runs waiting, tb two, tc three
        threeTreesOnOneSlot();

        // When the nodes of each tree are asked for
        Map<String, List<Object>> ahead = Map.of("ta", ahead("ta"), "tb", ahead("tb"), "tc", ahead("tc"));

        // Then the grants go ta, tb, tc, ta, tb, tc, ta, tc, ta: that is how many are ahead of each
        assertThat(ahead.get("ta")).containsExactly("TRIGGERED", 0L, 3L, 6L, 8L);
        assertThat(ahead.get("tb")).containsExactly(1L, 4L);
        assertThat(ahead.get("tc")).containsExactly(2L, 5L, 7L);
        // and each waiting run's quota names the repository, its limit, the one in flight and the nine waiting
        JsonNode quota = api.json("/api/trees/tb/nodes").get("nodes").get(0).get("quota");
        assertThat(quota.toString()).isEqualTo(
                "{\"repo\":\"app-a\",\"max_in_flight\":1,\"in_flight\":1,\"waiting\":9,\"ahead\":1}");
    }

    @Test
    void afterAGrantTheTreeThatHadItsTurnGoesToTheBackOfTheRotation() {
        // Given the three trees on one slot
        threeTreesOnOneSlot();

        // When ta's running child ends, and ta's next run is granted
        fanout.report(succeeded(fanout.triggers().get(0)));

        // Then tb's turn is next: tb, tc, ta, tb, tc, ta, tc, ta
        assertThat(ahead("ta")).containsExactly("SUCCEEDED", "TRIGGERED", 2L, 5L, 7L);
        assertThat(ahead("tb")).containsExactly(0L, 3L);
        assertThat(ahead("tc")).containsExactly(1L, 4L, 6L);
    }

    @Test
    void theNumbersAheadAreTheOrderInWhichTheRunsAreThenTriggered() {
        // Given two slots, and trees of seven, one, four and two children started in that order
        fanout.limit("app-a", 2);
        int[] widths = {7, 1, 4, 2};
        for (int t = 0; t < widths.length; t++) {
            fanout.emit(event("t" + t).setPayload(targets(widths[t])).build());
        }
        Map<String, Trigger> inFlight = new LinkedHashMap<>();
        fanout.triggers().forEach(trigger -> inFlight.put(trigger.getRunId(), trigger));
        Map<String, Long> aheadOf = new LinkedHashMap<>();
        for (int t = 0; t < widths.length; t++) {
            for (JsonNode node : api.json("/api/trees/t" + t + "/nodes").get("nodes")) {
                if (node.get("status").asText().equals("QUOTA_WAIT")) {
                    aheadOf.put(node.get("run_id").asText(), node.get("quota").get("ahead").asLong());
                }
            }
        }
        assertThat(aheadOf).hasSize(14 - 2);

        // When the oldest run in flight ends, one after the other, and nothing else arrives
        List<String> granted = new ArrayList<>();
        while (!inFlight.isEmpty()) {
            Trigger oldest = inFlight.remove(inFlight.keySet().iterator().next());
            fanout.report(succeeded(oldest));
            for (Trigger trigger : fanout.triggers()) {
                inFlight.put(trigger.getRunId(), trigger);
                granted.add(trigger.getRunId());
            }
        }

        // Then each run was triggered after exactly as many as were shown ahead of it
        assertThat(granted).hasSize(12);
        Map<String, Long> order = new LinkedHashMap<>();
        for (int i = 0; i < granted.size(); i++) {
            order.put(granted.get(i), (long) i);
        }
        assertThat(order).isEqualTo(aheadOf);
    }

    @Test
    void theRepositorysQuotaIsAskedForByRepositoryWithTheRunsToPlace() {
        // Given the three trees on one slot
        threeTreesOnOneSlot();
        List<String> tcRuns = new ArrayList<>();
        api.json("/api/trees/tc/nodes").get("nodes").forEach(node -> tcRuns.add(node.get("run_id").asText()));

        // When the repository's quota is asked for, with tc's runs and one nobody asked a slot for
        JsonNode quota = api.json("/api/repos/app-a/quota?runs=" + String.join(",", tcRuns) + ",r-unknown");
        JsonNode unlimited = api.json("/api/repos/app-z/quota");

        // Then it shows the counts, tc's places, and null for the unknown run; a repository without a limit has none
        assertThat(quota.get("max_in_flight").asInt()).isEqualTo(1);
        assertThat(quota.get("in_flight").asInt()).isEqualTo(1);
        assertThat(quota.get("waiting").asInt()).isEqualTo(9);
        assertThat(quota.get("runs").toString()).isEqualTo("[{\"run_id\":\"" + tcRuns.get(0) + "\",\"ahead\":2},"
                + "{\"run_id\":\"" + tcRuns.get(1) + "\",\"ahead\":5},{\"run_id\":\"" + tcRuns.get(2) + "\",\"ahead\":7},"
                + "{\"run_id\":\"r-unknown\",\"ahead\":null}]");
        assertThat(unlimited.toString()).isEqualTo(
                "{\"repo\":\"app-z\",\"max_in_flight\":null,\"in_flight\":0,\"waiting\":0,\"runs\":[]}");
        assertThat(api.get("/api/repos/app-a/quota?run=x").status()).isEqualTo(400);
    }

    @Test
    void anInstanceAsksTheOwnerOfTheRepositorysAdmissionPartitionForTheQuotaOfItsWaitingRuns() {
        // Given the three trees on one slot, and an instance that owns the trees but not app-a's admission partition
        threeTreesOnOneSlot();
        QueryServer owner = QueryServer.bind("127.0.0.1", 0);
        owner.attach(api.api());
        List<String> asked = new ArrayList<>();
        TreeLocator treesHereQuotasThere = new TreeLocator() {
            @Override
            public Owner ownerOf(String treeId) {
                return api.ownerOf(treeId);
            }

            @Override
            public List<TreeStores> localPartitions() {
                return api.localPartitions();
            }

            @Override
            public RepoOwner ownerOfRepo(String repo) {
                asked.add(repo);
                return new Remote("http://127.0.0.1:" + owner.port());
            }

            @Override
            public List<QuotaPositions> localAdmissionPartitions() {
                return List.of();
            }

            @Override
            public List<String> otherInstances() {
                return List.of();
            }

            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public String state() {
                return "RUNNING";
            }
        };
        QueryApi here = new QueryApi(treesHereQuotasThere, new Forwarder(), () -> "", () -> fanout.now().toEpochMilli(),
                request -> { });
        try {
            // When tc's nodes are asked for there
            ApiResponse page = here.handle(new ApiRequest("GET", "/api/trees/tc/nodes", Map.of(), null, false));

            // Then the places come from the other instance, asked once for the page's repository
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            List<Long> ahead = new ArrayList<>();
            DriverQueries.parse(page).get("nodes").forEach(node -> ahead.add(node.get("quota").get("ahead").asLong()));
            assertThat(ahead).containsExactly(2L, 5L, 7L);
            assertThat(asked).containsExactly("app-a");
        } finally {
            owner.close();
        }
    }

    @Test
    void metricsShowEachRepositorysRunsInFlightAndWaitingFromTheAdmissionStores() {
        // Given the three trees on one slot, and a second repository with a limit and one run in flight
        threeTreesOnOneSlot();
        fanout.subscribe(subscription("app-b", "on-release").setArtifact("lib-b:release").build());
        fanout.limit("app-b", 4);
        fanout.emit(event("td").setArtifact("lib-b:release").build());

        // When /metrics is scraped
        String metrics;
        try (QueryMetrics registry = new QueryMetrics()) {
            registry.quotasFrom(api);
            metrics = registry.scrape();
        }

        // Then each repository's figures are there, read from the stores at the scrape
        assertThat(metrics).contains("fanout_quota_in_flight{repo=\"app-a\"} 1.0",
                "fanout_quota_waiting{repo=\"app-a\"} 9.0", "fanout_quota_max_in_flight{repo=\"app-a\"} 1.0",
                "fanout_quota_in_flight{repo=\"app-b\"} 1.0", "fanout_quota_waiting{repo=\"app-b\"} 0.0",
                "fanout_quota_max_in_flight{repo=\"app-b\"} 4.0");
    }

    /** Per node of the tree in plan order: the number ahead of it if it waits for a slot, else its status. */
    private List<Object> ahead(String treeId) {
        List<Object> ahead = new ArrayList<>();
        for (JsonNode node : api.json("/api/trees/" + treeId + "/nodes").get("nodes")) {
            ahead.add(node.get("status").asText().equals("QUOTA_WAIT") ? node.get("quota").get("ahead").asLong()
                    : node.get("status").asText());
        }
        return ahead;
    }

    private RunStatus succeeded(Trigger trigger) {
        return RunStatus.newBuilder().setRunId(trigger.getRunId()).setTreeId(trigger.getTreeId())
                .setAttempt(trigger.getAttempt()).setStatus(RunState.SUCCEEDED).setReportedAt(fanout.now()).build();
    }

    private static String targets(int count) {
        return IntStream.range(0, count).mapToObj(i -> "\"t" + i + "\"")
                .collect(Collectors.joining(",", "{\"targets\":[", "]}"));
    }
}
