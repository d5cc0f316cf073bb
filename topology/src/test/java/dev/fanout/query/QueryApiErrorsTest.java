package dev.fanout.query;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fanout.app.FanoutDriver;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad request gets the contract's error, with a message naming the thing, the value and the fix. */
class QueryApiErrorsTest {

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;
    private DriverQueries api;

    @BeforeEach
    void startWithOneTreeOfTwoChildren() {
        fanout = new FanoutDriver(stateDir);
        api = new DriverQueries(fanout);
        fanout.subscribe(subscription("app-a", "per-target").setForeach("event.payload.targets").build());
        fanout.emit(event("e1").build());
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void anUnknownTreeIsNotFoundNamingItAndHowToListTrees() {
        assertError(api.get("/api/trees/nope"), 404, "not_found", "tree 'nope' not found", "GET /api/trees");
        assertError(api.get("/api/trees/nope/nodes"), 404, "not_found", "tree 'nope' not found", "GET /api/trees");
    }

    @Test
    void anUnknownParentIsNotFoundNamingItAndTheTree() {
        assertError(api.get("/api/trees/e1/nodes?parent=r-unknown"), 404, "not_found",
                "parent 'r-unknown' is not a run of tree 'e1'", "omit parent");
    }

    @Test
    void aCursorThatIsNotOneIsABadRequestSayingToPassNextCursorUnchanged() {
        assertError(api.get("/api/trees/e1/nodes?cursor=%25%25garbage"), 400, "bad_request", "cursor '%%garbage'",
                "pass next_cursor from the previous page");
        assertError(api.get("/api/trees/e1/nodes?cursor=bjE6eHl6"), 400, "bad_request", "cursor 'bjE6eHl6'",
                "omit cursor to start");
    }

    @Test
    void aCursorOfAnotherListingIsABadRequest() {
        // Given a cursor from the root's page of tree e1, when it is used for another parent's children
        String cursor = api.json("/api/trees/e1/nodes?limit=1").get("next_cursor").asText();
        String runId = api.json("/api/trees/e1/nodes?limit=1").get("nodes").get(0).get("run_id").asText();

        // Then it is refused
        assertError(api.get("/api/trees/e1/nodes?parent=" + runId + "&cursor=" + cursor), 400, "bad_request",
                "is not a cursor of the children of '" + runId + "' in tree 'e1'", "next_cursor");
    }

    @Test
    void aLimitOutOfRangeOrNotANumberIsABadRequestNamingTheRangeAndTheDefault() {
        assertError(api.get("/api/trees/e1/nodes?limit=0"), 400, "bad_request", "limit '0'", "from 1 to 1000",
                "omit it for 50");
        assertError(api.get("/api/trees/e1/nodes?limit=1001"), 400, "bad_request", "limit '1001'");
        assertError(api.get("/api/trees?limit=ten"), 400, "bad_request", "limit 'ten'", "omit it for 20");
        assertError(api.get("/api/trees?limit=-5"), 400, "bad_request", "limit '-5'");
    }

    @Test
    void anUnknownStatusIsABadRequestListingTheKnownOnes() {
        assertError(api.get("/api/trees?status=finished"), 400, "bad_request", "status 'finished'",
                "running, done, all");
    }

    @Test
    void anUnknownQueryParameterIsABadRequestListingTheKnownOnes() {
        assertError(api.get("/api/trees?limt=5"), 400, "bad_request", "query parameter 'limt'",
                "limit, local, status");
        assertError(api.get("/api/trees/e1?parent=x"), 400, "bad_request", "query parameter 'parent'", "takes none");
    }

    @Test
    void anotherMethodThanGetIsNotAllowed() {
        ApiResponse response = api.send("POST", "/api/trees/e1");
        assertError(response, 405, "bad_request", "method POST is not allowed on /api/trees/e1", "use GET");
        assertThat(response.headers()).containsEntry("Allow", "GET, HEAD");
        assertError(api.send("DELETE", "/api/trees"), 405, "bad_request", "method DELETE");
    }

    @Test
    void anUnknownRouteOrWebFileIsNotFound() {
        assertError(api.get("/api/nodes"), 404, "not_found", "no route for /api/nodes", "docs/query-api.md");
        assertError(api.get("/static/missing.js"), 404, "not_found", "no web file 'missing.js'",
                "dev/fanout/query/web/");
        assertError(api.get("/static/../secret"), 404, "not_found", "no web file");
    }

    private static void assertError(ApiResponse response, int status, String code, String... fragments) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo("application/json; charset=utf-8");
        JsonNode body = DriverQueries.parse(response);
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).contains(fragments);
    }
}
