package dev.fanout.query;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.RunState;
import dev.fanout.avro.RunStatus;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.Trigger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/trees/{id}/cancel}: a cancel request for a running tree, and every refusal. */
class QueryApiCancelTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;
    private DriverQueries api;

    @BeforeEach
    void startWithARunningTree() {
        fanout = new FanoutDriver(stateDir);
        api = new DriverQueries(fanout);
        fanout.subscribe(subscription("app-a", "on-release").build());
        fanout.emit(event("e1").build());
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void aRunningTreeIsAcceptedAndItsCancelRequestSentWithTheReasonAndRequester() {
        fanout.advance(Duration.ofSeconds(3));

        ApiResponse response = api.post("/api/trees/e1/cancel", "{\"reason\": \" wrong version \", \"requested_by\": \"alice\"}");

        assertThat(response.status()).as(response.text()).isEqualTo(202);
        JsonNode body = DriverQueries.parse(response);
        assertThat(body.get("tree_id").asText()).isEqualTo("e1");
        assertThat(body.get("cancel_requested").asBoolean()).isTrue();
        assertThat(api.cancelRequests()).containsExactly(TreeCancel.newBuilder().setTreeId("e1")
                .setReason("wrong version").setRequestedBy("alice").setRequestedAt(fanout.now()).build());
    }

    @Test
    void theBodyIsOptional() {
        assertThat(api.post("/api/trees/e1/cancel", null).status()).isEqualTo(202);
        assertThat(api.post("/api/trees/e1/cancel", "{}").status()).isEqualTo(202);

        assertThat(api.cancelRequests()).hasSize(2).allSatisfy(cancel -> {
            assertThat(cancel.getReason()).isNull();
            assertThat(cancel.getRequestedBy()).isNull();
        });
    }

    @Test
    void anUnknownTreeIsNotFoundAndNothingIsSent() {
        assertError(api.post("/api/trees/nope/cancel", null), 404, "not_found", "tree 'nope' not found");
        assertThat(api.cancelRequests()).isEmpty();
    }

    @Test
    void aTreeThatIsDoneIsAConflictNamingItsStatusAndNothingIsSent() {
        Trigger run = fanout.triggers().get(0);
        fanout.report(RunStatus.newBuilder().setRunId(run.getRunId()).setTreeId(run.getTreeId())
                .setAttempt(run.getAttempt()).setStatus(RunState.SUCCEEDED).setReportedAt(fanout.now()).build());

        ApiResponse response = api.post("/api/trees/e1/cancel", null);

        assertError(response, 409, "conflict", "tree 'e1' is done (SUCCEEDED at ", "only a running tree can be cancelled");
        assertThat(DriverQueries.parse(response).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(api.cancelRequests()).isEmpty();
    }

    @Test
    void aBodyThatIsNotTheRequestsJsonIsABadRequestNamingWhatToSend() {
        assertError(api.post("/api/trees/e1/cancel", "reason=x"), 400, "bad_request", "the body is not JSON",
                "{\"reason\": \"...\", \"requested_by\": \"...\"}");
        assertError(api.post("/api/trees/e1/cancel", "[1]"), 400, "bad_request", "the body is a JSON array, not an object");
        assertError(api.post("/api/trees/e1/cancel", "{\"why\": \"x\"}"), 400, "bad_request", "field 'why'",
                "takes reason and requested_by");
        assertError(api.post("/api/trees/e1/cancel", "{\"reason\": 7}"), 400, "bad_request", "field 'reason' is 7, not a string");
        assertError(api.post("/api/trees/e1/cancel", "{\"reason\": \"" + "x".repeat(QueryApi.MAX_CANCEL_TEXT + 1) + "\"}"),
                400, "bad_request", "field 'reason' is 1001 characters long; keep it to 1000");
        assertThat(api.cancelRequests()).isEmpty();
    }

    @Test
    void cancelTakesOnlyPostAndNoQueryParameters() {
        ApiResponse get = api.get("/api/trees/e1/cancel");
        assertError(get, 405, "bad_request", "method GET is not allowed on /api/trees/e1/cancel", "POST");
        assertThat(get.headers()).containsEntry("Allow", "POST");
        assertError(api.post("/api/trees/e1/cancel?force=true", null), 400, "bad_request", "query parameter 'force'");
        assertError(api.post("/api/trees//cancel", null), 400, "bad_request", "tree id is empty");
        assertThat(api.cancelRequests()).isEmpty();
    }

    @Test
    void aTreeNamedCancelIsStillReadWithGet() {
        fanout.emit(event("cancel").build());

        assertThat(api.json("/api/trees/cancel").get("tree_id").asText()).isEqualTo("cancel");
        assertThat(api.post("/api/trees/cancel/cancel", null).status()).isEqualTo(202);
    }

    @Test
    void duringARebalanceTheRequestIsUnavailableAndNothingIsSent() {
        api.rebalancing(true);

        ApiResponse response = api.post("/api/trees/e1/cancel", null);

        assertError(response, 503, "unavailable", "retry in a moment");
        assertThat(response.headers()).containsEntry("Retry-After", "1");
        assertThat(api.cancelRequests()).isEmpty();
    }

    @Test
    void anInstanceThatDoesNotOwnTheTreeAsksItsOwnerForItsStatusAndWritesTheRequestItself() {
        // Given the owner of every tree serving its API, and an instance that sees it as the owner of all trees
        QueryServer owner = QueryServer.bind("127.0.0.1", 0);
        owner.attach(api.api());
        List<TreeCancel> sentHere = new ArrayList<>();
        QueryApi other = new QueryApi(new RemoteOwner("http://127.0.0.1:" + owner.port()), new Forwarder(),
                () -> "", () -> fanout.now().toEpochMilli(), sentHere::add);
        try {
            // When trees are cancelled through the other instance
            ApiResponse running = other.handle(new ApiRequest("POST", "/api/trees/e1/cancel", Map.of(), null, false,
                    "{\"reason\": \"r\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            ApiResponse unknown = other.handle(new ApiRequest("POST", "/api/trees/nope/cancel", Map.of(), null, false));
            Trigger run = fanout.triggers().get(0);
            fanout.report(RunStatus.newBuilder().setRunId(run.getRunId()).setTreeId(run.getTreeId())
                    .setAttempt(run.getAttempt()).setStatus(RunState.FAILED).setError("x").setReportedAt(fanout.now()).build());
            ApiResponse done = other.handle(new ApiRequest("POST", "/api/trees/e1/cancel", Map.of(), null, false));

            // Then the running one is accepted and written by the instance asked, the others refused
            assertThat(running.status()).as(running.text()).isEqualTo(202);
            assertError(unknown, 404, "not_found", "tree 'nope' not found");
            assertError(done, 409, "conflict", "tree 'e1' is done (FAILED at ");
            assertThat(sentHere).extracting(TreeCancel::getTreeId).containsExactly("e1");
            assertThat(api.cancelRequests()).as("nothing written by the owner").isEmpty();
        } finally {
            owner.close();
        }
    }

    /** An instance that owns no tree: every tree is on {@code ownerUrl}. */
    private record RemoteOwner(String ownerUrl) implements TreeLocator {
        @Override
        public Owner ownerOf(String treeId) {
            return new Remote(ownerUrl);
        }

        @Override
        public List<TreeStores> localPartitions() {
            return List.of();
        }

        @Override
        public RepoOwner ownerOfRepo(String repo) {
            return new Remote(ownerUrl);
        }

        @Override
        public List<dev.fanout.admission.QuotaPositions> localAdmissionPartitions() {
            return List.of();
        }

        @Override
        public List<String> otherInstances() {
            return List.of(ownerUrl);
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public String state() {
            return "RUNNING";
        }
    }

    private static void assertError(ApiResponse response, int status, String code, String... phrases) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        JsonNode body = DriverQueries.parse(response);
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).contains(phrases);
    }
}
