package dev.fanout.query;

import static dev.fanout.app.Samples.event;
import static dev.fanout.app.Samples.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.fanout.app.FanoutDriver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/openapi.yaml and the routes agree: every path and status it lists is answered by a request that
 * gets exactly that status, and every probed route is in it.
 */
class OpenApiDocTest {

    private static final Path DOC = Path.of("..", "docs", "openapi.yaml");

    @TempDir
    Path stateDir;

    private FanoutDriver fanout;
    private DriverQueries api;
    private String runId;

    @BeforeEach
    void startWithATree() {
        fanout = new FanoutDriver(stateDir);
        api = new DriverQueries(fanout, "dev/fanout/query/testweb/");
        fanout.subscribe(subscription("app-a", "on-release").build());
        fanout.emit(event("e1").build());
        runId = fanout.triggers().get(0).getRunId();
    }

    @AfterEach
    void stop() {
        fanout.close();
    }

    @Test
    void everyDocumentedPathAndStatusIsAnsweredAndEveryRouteIsDocumented() throws Exception {
        JsonNode paths = new YAMLMapper().readTree(DOC.toFile()).get("paths");
        Map<String, Function<Integer, ApiResponse>> probes = probes();
        Map<String, String> missing = new TreeMap<>();
        paths.fieldNames().forEachRemaining(path -> {
            JsonNode operation = paths.get(path).has("get") ? paths.get(path).get("get") : paths.get(path).get("post");
            assertThat(operation).as("a get or post operation on %s", path).isNotNull();
            JsonNode responses = operation.get("responses");
            assertThat(probes).as("a probe for path %s of %s", path, DOC).containsKey(path);
            responses.fieldNames().forEachRemaining(status -> {
                ApiResponse response = probes.get(path).apply(Integer.parseInt(status));
                if (response == null) {
                    missing.put(path + " " + status, "no request known to get it");
                } else {
                    assertThat(response.status()).as("%s answering %s: %s", path, status, response.text())
                            .isEqualTo(Integer.parseInt(status));
                    if (response.status() >= 400) {
                        assertThat(DriverQueries.parse(response).get("error").asText()).isNotBlank();
                    }
                }
                api.rebalancing(false);
            });
        });
        assertThat(missing).as("documented answers no request gets").isEmpty();
        assertThat(iterable(paths)).as("routes of the API in %s", DOC).containsExactlyInAnyOrderElementsOf(probes.keySet());
    }

    @Test
    void webFilesAreServedWithTheirContentTypes() {
        assertThat(api.get("/").contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(api.get("/").text()).contains("test page");
        assertThat(api.get("/static/app.js").contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(api.get("/static/app.css").contentType()).isEqualTo("text/css; charset=utf-8");
    }

    /** For each route, the request that gets a given status (null: none known). */
    private Map<String, Function<Integer, ApiResponse>> probes() {
        Map<String, Function<Integer, ApiResponse>> probes = new LinkedHashMap<>();
        probes.put("/api/trees", status -> switch (status) {
            case 200 -> api.get("/api/trees");
            case 400 -> api.get("/api/trees?status=finished");
            case 405 -> api.send("POST", "/api/trees");
            case 503 -> rebalancing(() -> api.get("/api/trees"));
            default -> null;
        });
        probes.put("/api/trees/{id}", status -> switch (status) {
            case 200 -> api.get("/api/trees/e1");
            case 404 -> api.get("/api/trees/unknown");
            case 405 -> api.send("PUT", "/api/trees/e1");
            case 503 -> rebalancing(() -> api.get("/api/trees/e1"));
            default -> null;
        });
        probes.put("/api/trees/{id}/nodes", status -> switch (status) {
            case 200 -> api.get("/api/trees/e1/nodes?parent=" + runId);
            case 400 -> api.get("/api/trees/e1/nodes?limit=0");
            case 404 -> api.get("/api/trees/e1/nodes?parent=r-unknown");
            case 405 -> api.send("DELETE", "/api/trees/e1/nodes");
            case 503 -> rebalancing(() -> api.get("/api/trees/e1/nodes"));
            default -> null;
        });
        probes.put("/api/trees/{id}/fan-outs/{fanOutId}/graph", status -> switch (status) {
            case 200 -> api.get("/api/trees/e1/fan-outs/e1/graph");
            case 400 -> api.get("/api/trees/e1/fan-outs/e1/graph?limit=5");
            case 404 -> api.get("/api/trees/e1/fan-outs/unknown/graph");
            case 405 -> api.send("POST", "/api/trees/e1/fan-outs/e1/graph");
            case 503 -> rebalancing(() -> api.get("/api/trees/e1/fan-outs/e1/graph"));
            default -> null;
        });
        probes.put("/api/trees/{id}/cancel", status -> switch (status) {
            case 202 -> api.post("/api/trees/e1/cancel", "{\"reason\": \"wrong version\"}");
            case 400 -> api.post("/api/trees/e1/cancel", "{\"why\": \"x\"}");
            case 401 -> withoutToken("/api/trees/e1/cancel");
            case 404 -> api.post("/api/trees/unknown/cancel", null);
            case 405 -> api.get("/api/trees/e1/cancel");
            case 409 -> {
                fanout.report(dev.fanout.avro.RunStatus.newBuilder().setRunId(runId).setTreeId("e1").setAttempt(1)
                        .setStatus(dev.fanout.avro.RunState.SUCCEEDED).setReportedAt(fanout.now()).build());
                yield api.post("/api/trees/e1/cancel", null);
            }
            case 503 -> rebalancing(() -> api.post("/api/trees/e1/cancel", null));
            default -> null;
        });
        probes.put("/api/repos/{repo}/quota", status -> switch (status) {
            case 200 -> api.get("/api/repos/app-a/quota?runs=" + runId);
            case 400 -> api.get("/api/repos/app-a/quota?run=" + runId);
            case 405 -> api.send("POST", "/api/repos/app-a/quota");
            case 503 -> rebalancing(() -> api.get("/api/repos/app-a/quota"));
            default -> null;
        });
        probes.put("/healthz", status -> status == 200 ? api.get("/healthz") : null);
        probes.put("/readyz", status -> switch (status) {
            case 200 -> api.get("/readyz");
            case 503 -> rebalancing(() -> api.get("/readyz"));
            default -> null;
        });
        probes.put("/metrics", status -> status == 200 ? api.get("/metrics") : null);
        probes.put("/", status -> switch (status) {
            case 200 -> api.get("/");
            case 404 -> new DriverQueries(fanout, "dev/fanout/query/no-such-web/").get("/");
            default -> null;
        });
        probes.put("/static/{file}", status -> switch (status) {
            case 200 -> api.get("/static/app.js");
            case 404 -> api.get("/static/nothing.js");
            default -> null;
        });
        return probes;
    }

    /** A POST without a token to a real server that asks for one. */
    private ApiResponse withoutToken(String path) {
        QueryServer server = QueryServer.bind("127.0.0.1", 0,
                new HttpSecurity(Optional.empty(), Optional.empty(), Optional.of(new Password("t0ken"))));
        try {
            server.attach(api.api());
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + path)).POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            return new ApiResponse(response.statusCode(), ApiResponse.JSON, response.body(), Map.of());
        } catch (Exception e) {
            throw new AssertionError("POST " + path + " failed: " + e, e);
        } finally {
            server.close();
        }
    }

    private ApiResponse rebalancing(java.util.function.Supplier<ApiResponse> request) {
        api.rebalancing(true);
        ApiResponse response = request.get();
        assertThat(response.headers()).containsEntry("Retry-After", "1");
        return response;
    }

    private static Iterable<String> iterable(JsonNode object) {
        return object::fieldNames;
    }
}
