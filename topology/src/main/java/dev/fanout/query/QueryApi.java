package dev.fanout.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.internal.TreeNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of the query API (see docs/query-api.md), independent of the HTTP server: a request in, an
 * answer out. A tree's requests are answered from the stores if this instance owns the tree, else
 * forwarded to its owner; the tree list asks every instance for its newest trees and merges them.
 *
 * <p>The one changing route, {@code POST /api/trees/{id}/cancel}, looks the tree up the same way (a read
 * of its owner's summary), then writes a {@link TreeCancel} to the {@code tree-cancel} topic; the tree
 * coordinator does the cancelling. No store is written from here.
 */
public final class QueryApi {

    static final int DEFAULT_NODES_LIMIT = 50;
    static final int DEFAULT_TREES_LIMIT = 20;
    static final int MAX_LIMIT = 1000;
    static final String WEB_ROOT = "dev/fanout/query/web/";

    private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TREES = "/api/trees";
    private static final String CANCEL = "/cancel";
    /** Longest {@code reason} and {@code requested_by} of a cancel request, in characters. */
    static final int MAX_CANCEL_TEXT = 1000;
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", ApiResponse.JSON,
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "txt", "text/plain; charset=utf-8");

    private final TreeLocator locator;
    private final Forwarder forwarder;
    private final Supplier<String> metrics;
    private final LongSupplier clock;
    private final CancelRequests cancels;
    private final String webRoot;
    private final QuotaReader quotas;

    QueryApi(TreeLocator locator, Forwarder forwarder, Supplier<String> metrics, LongSupplier clock,
            CancelRequests cancels) {
        this(locator, forwarder, metrics, clock, cancels, WEB_ROOT);
    }

    /** @param webRoot the classpath directory of the web page, ending with {@code /} */
    QueryApi(TreeLocator locator, Forwarder forwarder, Supplier<String> metrics, LongSupplier clock,
            CancelRequests cancels, String webRoot) {
        this.webRoot = Objects.requireNonNull(webRoot, "webRoot");
        this.cancels = Objects.requireNonNull(cancels, "cancels");
        this.locator = Objects.requireNonNull(locator, "locator");
        this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.quotas = new QuotaReader(locator, forwarder);
    }

    ApiResponse handle(ApiRequest request) {
        try {
            return route(request);
        } catch (ApiError e) {
            return error(e);
        } catch (InvalidStateStoreException e) {
            return error(ApiError.unavailable("the stores are moving between instances (" + e.getMessage()
                    + "); retry in a moment"));
        } catch (RuntimeException e) {
            LOG.error("query {} failed", request.pathAndQuery(), e);
            return error(ApiError.internal("answering " + request.rawPath() + " failed: " + e
                    + "; see the instance's log, and report it if it persists"));
        }
    }

    private ApiResponse route(ApiRequest request) {
        String path = request.rawPath();
        if (path.equals("/healthz")) {
            requireGet(request);
            return json(200, Map.of("status", "UP"));
        }
        if (path.equals("/readyz")) {
            requireGet(request);
            if (!locator.ready()) {
                throw ApiError.unavailable("Kafka Streams is " + locator.state() + ", not RUNNING; wait for it "
                        + "(it rebalances or restores state after a start or when instances join or leave)");
            }
            return json(200, Map.of("status", "READY"));
        }
        if (path.equals("/metrics")) {
            requireGet(request);
            return new ApiResponse(200, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.get().getBytes(StandardCharsets.UTF_8), Map.of());
        }
        if (path.equals(TREES)) {
            requireGet(request);
            allowOnly(request, Set.of("status", "limit", "local"));
            return trees(request);
        }
        if (path.startsWith(TREES + "/") && path.substring(TREES.length() + 1).endsWith(CANCEL)) {
            if (!request.method().equals("POST")) {
                throw ApiError.methodNotAllowed("method " + request.method() + " is not allowed on " + path
                        + "; cancel a tree with POST", "POST");
            }
            allowOnly(request, Set.of());
            return cancel(request, decode(path.substring(TREES.length() + 1, path.length() - CANCEL.length())));
        }
        if (path.startsWith(TREES + "/")) {
            requireGet(request);
            String rest = path.substring(TREES.length() + 1);
            if (rest.endsWith("/nodes")) {
                allowOnly(request, Set.of("parent", "cursor", "limit"));
                return tree(request, decode(rest.substring(0, rest.length() - "/nodes".length())), true);
            }
            if (!rest.isEmpty() && !rest.contains("/")) {
                allowOnly(request, Set.of());
                return tree(request, decode(rest), false);
            }
            String[] segments = rest.split("/", -1);
            if (segments.length == 4 && segments[1].equals("fan-outs") && segments[3].equals("graph")) {
                allowOnly(request, Set.of());
                return graph(request, decode(segments[0]), decode(segments[2], "fan-out id"));
            }
        }
        if (path.startsWith(QuotaReader.REPOS) && path.endsWith(QuotaReader.QUOTA)
                && path.length() > QuotaReader.REPOS.length() + QuotaReader.QUOTA.length()) {
            requireGet(request);
            allowOnly(request, Set.of("runs"));
            return quota(request, decode(path.substring(QuotaReader.REPOS.length(), path.length() - QuotaReader.QUOTA.length()),
                    "repository"));
        }
        if (path.equals("/") || path.startsWith("/static/")) {
            requireGet(request);
            return staticFile(path.equals("/") ? "index.html" : path.substring("/static/".length()));
        }
        throw ApiError.notFound("no route for " + path + "; the API has GET /api/trees, /api/trees/{id}, "
                + "/api/trees/{id}/nodes, /api/trees/{id}/fan-outs/{fanOutId}/graph, /api/repos/{repo}/quota, /healthz, "
                + "/readyz, /metrics and "
                + "POST /api/trees/{id}/cancel (see docs/query-api.md)");
    }

    /** The picture of one fan-out of a tree, from the tree's owner. */
    private ApiResponse graph(ApiRequest request, String treeId, String fanOutId) {
        if (fanOutId.isBlank()) {
            throw ApiError.badRequest("fan-out id is empty in " + request.rawPath() + "; put a fan-out id (a node's "
                    + "fan_out_id, or the tree id for the root event's fan-out) after /fan-outs/");
        }
        TreeLocator.Owner owner = owner(request, treeId);
        if (owner instanceof TreeLocator.Remote remote) {
            return forwarder.get(remote.baseUrl(), request.pathAndQuery());
        }
        TreeStores stores = ((TreeLocator.Local) owner).stores();
        new TreeReader(stores).tree(treeId).orElseThrow(() -> unknownTree(treeId));
        return json(200, new FanOutGraph(stores).of(treeId, fanOutId));
    }

    /**
     * A repository's quota, and how many runs are ahead of each run of {@code runs} (run ids separated by
     * commas, at most {@value #MAX_LIMIT}), from the instance that owns the repository's admission partition.
     */
    private ApiResponse quota(ApiRequest request, String repo) {
        if (repo.isBlank() || repo.contains("/")) {
            throw ApiError.badRequest("repository '" + repo + "' in " + request.rawPath() + " is not a repository name; "
                    + "put one (a subscription's repo, such as app-a) between /api/repos/ and /quota");
        }
        String runs = request.query().get("runs");
        List<String> runIds = runs == null || runs.isBlank() ? List.of()
                : List.of(runs.split(",")).stream().map(String::strip).filter(id -> !id.isEmpty()).distinct().toList();
        if (runIds.size() > MAX_LIMIT) {
            throw ApiError.badRequest("runs lists " + runIds.size() + " run ids; ask for at most " + MAX_LIMIT
                    + " at a time");
        }
        return json(200, quotas.read(repo, runIds, request.forwarded()));
    }

    /** Where tree {@code treeId} lives; a forwarded request must find it here. */
    private TreeLocator.Owner owner(ApiRequest request, String treeId) {
        if (treeId.isBlank()) {
            throw ApiError.badRequest("tree id is empty in " + request.rawPath() + "; put a tree id (the root "
                    + "event's event_id) after /api/trees/");
        }
        TreeLocator.Owner owner = locator.ownerOf(treeId);
        if (owner instanceof TreeLocator.Remote remote && request.forwarded()) {
            throw ApiError.unavailable("tree '" + treeId + "' was forwarded here, but this instance sees "
                    + remote.baseUrl() + " as its owner (the instances are rebalancing); retry in a moment");
        }
        return owner;
    }

    private ApiResponse tree(ApiRequest request, String treeId, boolean nodes) {
        TreeLocator.Owner owner = owner(request, treeId);
        if (owner instanceof TreeLocator.Remote remote) {
            return forwarder.get(remote.baseUrl(), request.pathAndQuery());
        }
        TreeReader reader = new TreeReader(((TreeLocator.Local) owner).stores());
        long now = clock.getAsLong();
        if (!nodes) {
            return json(200, reader.summary(treeId, now).orElseThrow(() -> unknownTree(treeId)));
        }
        String parent = request.query().get("parent");
        int limit = limit(request, DEFAULT_NODES_LIMIT);
        reader.tree(treeId).orElseThrow(() -> unknownTree(treeId));
        String parentRunId = parent == null || parent.isEmpty() || parent.equals(treeId) ? null : parent;
        String cursor = request.query().get("cursor");
        if (cursor != null && cursor.isEmpty()) {
            cursor = null;
        }
        TreeReader.NodePage page = reader.nodes(treeId, parentRunId, cursor, limit, now);
        quotas.fill(page.nodes());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tree_id", treeId);
        body.put("parent", parentRunId == null ? treeId : parentRunId);
        body.put("nodes", page.nodes());
        body.put("next_cursor", page.nextCursor());
        return json(200, body);
    }

    /**
     * Asks the coordinator to cancel a running tree: 202 once the request is on the topic, 404 for an unknown
     * tree, 409 for one that is done. The tree's summary is read where the tree lives (here or on its owner),
     * so any instance answers.
     */
    private ApiResponse cancel(ApiRequest request, String treeId) {
        if (treeId.isBlank()) {
            throw ApiError.badRequest("tree id is empty in " + request.rawPath() + "; write POST /api/trees/{id}/cancel "
                    + "with a tree id (the root event's event_id)");
        }
        CancelBody body = CancelBody.parse(request.body());
        Map<String, Object> summary = summaryWherever(treeId, request.rawPath()
                .substring(0, request.rawPath().length() - CANCEL.length()));
        if (summary.get("finished_at") != null || !"RUNNING".equals(summary.get("status"))) {
            String status = String.valueOf(summary.get("status"));
            throw ApiError.conflict("tree '" + treeId + "' is done (" + status + " at " + summary.get("finished_at")
                    + "); only a running tree can be cancelled", status);
        }
        cancels.send(TreeCancel.newBuilder().setTreeId(treeId).setReason(body.reason())
                .setRequestedBy(body.requestedBy()).setRequestedAt(Instant.ofEpochMilli(clock.getAsLong())).build());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("tree_id", treeId);
        answer.put("cancel_requested", true);
        return json(202, answer);
    }

    /** A tree's summary from its own stores or its owner's API; 404 when no instance knows it. */
    private Map<String, Object> summaryWherever(String treeId, String rawTreePath) {
        TreeLocator.Owner owner = locator.ownerOf(treeId);
        if (owner instanceof TreeLocator.Local local) {
            return new TreeReader(local.stores()).summary(treeId, clock.getAsLong())
                    .orElseThrow(() -> unknownTree(treeId));
        }
        String baseUrl = ((TreeLocator.Remote) owner).baseUrl();
        ApiResponse response = forwarder.get(baseUrl, rawTreePath);
        if (response.status() == 404) {
            throw unknownTree(treeId);
        }
        if (response.status() != 200) {
            throw ApiError.unavailable("instance " + baseUrl + ", which owns tree '" + treeId + "', answered "
                    + response.status() + " to " + rawTreePath + ": " + response.text() + "; retry in a moment");
        }
        try {
            return JSON.readValue(response.body(), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw ApiError.internal("instance " + baseUrl + " answered " + rawTreePath + " with something that is not "
                    + "a tree summary: " + e.getMessage() + "; are all instances the same version?");
        }
    }

    /** The optional JSON body of a cancel request. */
    record CancelBody(String reason, String requestedBy) {

        static CancelBody parse(byte[] body) {
            if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
                return new CancelBody(null, null);
            }
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                throw ApiError.badRequest("the body is not JSON (" + e.getMessage().lines().findFirst().orElse("")
                        + "); send {\"reason\": \"...\", \"requested_by\": \"...\"}, both optional, or no body");
            }
            if (json == null || !json.isObject()) {
                throw ApiError.badRequest("the body is " + (json == null ? "empty JSON" : "a JSON " + json.getNodeType()
                        .name().toLowerCase(Locale.ROOT)) + ", not an object; send {\"reason\": \"...\", "
                        + "\"requested_by\": \"...\"}, both optional, or no body");
            }
            json.fieldNames().forEachRemaining(name -> {
                if (!name.equals("reason") && !name.equals("requested_by")) {
                    throw ApiError.badRequest("field '" + name + "' of the body is not known; a cancel request takes "
                            + "reason and requested_by, both optional");
                }
            });
            return new CancelBody(text(json, "reason"), text(json, "requested_by"));
        }

        private static String text(JsonNode body, String name) {
            JsonNode value = body.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isTextual()) {
                throw ApiError.badRequest("field '" + name + "' is " + value + ", not a string; give text, such as "
                        + "\"" + (name.equals("reason") ? "wrong version released" : "alice") + "\", or leave it out");
            }
            String text = value.asText().strip();
            if (text.length() > MAX_CANCEL_TEXT) {
                throw ApiError.badRequest("field '" + name + "' is " + text.length() + " characters long; keep it to "
                        + MAX_CANCEL_TEXT);
            }
            return text.isEmpty() ? null : text;
        }
    }

    private ApiResponse trees(ApiRequest request) {
        TreeFilter filter = TreeFilter.parse(request.query().get("status"));
        int limit = limit(request, DEFAULT_TREES_LIMIT);
        String local = request.query().get("local");
        if (local != null && !local.equals("true") && !local.equals("false")) {
            throw ApiError.badRequest("local '" + local + "' is not true or false; omit it (true is the instances' "
                    + "own call: this instance's trees only)");
        }
        long now = clock.getAsLong();
        List<Map<String, Object>> trees = new ArrayList<>();
        for (TreeStores stores : locator.localPartitions()) {
            for (TreeNode tree : new TreeReader(stores).newest(filter, limit)) {
                trees.add(TreeReader.summary(tree, now));
            }
        }
        if (!"true".equals(local)) {
            String call = TREES + "?status=" + filter.parameter() + "&limit=" + limit + "&local=true";
            for (String instance : locator.otherInstances()) {
                trees.addAll(remoteTrees(instance, call));
            }
        }
        trees.sort(Comparator.<Map<String, Object>, Instant>comparing(tree -> Instant.parse((String) tree.get("started_at")))
                .reversed().thenComparing(tree -> (String) tree.get("tree_id")));
        return json(200, Map.of("trees", trees.subList(0, Math.min(limit, trees.size()))));
    }

    private List<Map<String, Object>> remoteTrees(String instance, String call) {
        ApiResponse response = forwarder.get(instance, call);
        if (response.status() != 200) {
            throw ApiError.unavailable("instance " + instance + " answered " + response.status() + " to " + call
                    + ": " + response.text() + "; retry in a moment");
        }
        try {
            Map<String, List<Map<String, Object>>> body = JSON.readValue(response.body(), new TypeReference<>() {
            });
            return body.getOrDefault("trees", List.of());
        } catch (IOException e) {
            throw ApiError.internal("instance " + instance + " answered " + call + " with something that is not "
                    + "a tree list: " + e.getMessage() + "; are all instances the same version?");
        }
    }

    private ApiResponse staticFile(String name) {
        if (name.isEmpty() || name.contains("..") || name.startsWith("/") || name.contains("\\")) {
            throw ApiError.notFound("no web file '" + name + "'; the page is at / and its files under /static/");
        }
        try (InputStream in = QueryApi.class.getClassLoader().getResourceAsStream(webRoot + name)) {
            if (in == null) {
                throw ApiError.notFound("no web file '" + name + "' in the classpath directory " + webRoot
                        + "; the page is at / and its files under /static/ (index.html, app.js, app.css)");
            }
            String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            return new ApiResponse(200, CONTENT_TYPES.getOrDefault(extension, "application/octet-stream"),
                    in.readAllBytes(), Map.of());
        } catch (IOException e) {
            throw ApiError.internal("reading web file '" + name + "' failed: " + e.getMessage());
        }
    }

    private static int limit(ApiRequest request, int defaultLimit) {
        String value = request.query().get("limit");
        if (value == null || value.isEmpty()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiError.badRequest("limit '" + value + "' is out of range: use a whole number from 1 to " + MAX_LIMIT
                + ", or omit it for " + defaultLimit);
    }

    private static void requireGet(ApiRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            throw ApiError.methodNotAllowed("method " + request.method() + " is not allowed on " + request.rawPath()
                    + "; this route only reads: use GET");
        }
    }

    private static void allowOnly(ApiRequest request, Set<String> names) {
        for (String name : request.query().keySet()) {
            if (!names.contains(name)) {
                throw ApiError.badRequest("query parameter '" + name + "' is not known on " + request.rawPath()
                        + "; " + (names.isEmpty() ? "it takes none" : "it takes " + String.join(", ", names.stream()
                        .sorted().toList())));
            }
        }
    }

    private static ApiError unknownTree(String treeId) {
        return ApiError.notFound("tree '" + treeId + "' not found: no tree has this id (the root event's event_id); "
                + "it may not have started yet, or was removed fanout.tree.retention.ms after it finished; "
                + "GET /api/trees lists the known trees");
    }

    private static String decode(String raw) {
        return decode(raw, "tree id");
    }

    private static String decode(String raw, String what) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(what + " '" + raw + "' is not validly percent-encoded; encode it with "
                    + "encodeURIComponent or its equivalent");
        }
    }

    static ApiResponse error(ApiError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.put("message", error.getMessage());
        Map<String, String> headers = new LinkedHashMap<>();
        if (error.retryAfterSeconds() != null) {
            headers.put("Retry-After", error.retryAfterSeconds().toString());
        }
        body.putAll(error.fields());
        if (error.allow() != null) {
            headers.put("Allow", error.allow());
        }
        if (error.status() == 401) {
            headers.put("WWW-Authenticate", "Bearer realm=\"fanout\"");
        }
        return new ApiResponse(error.status(), ApiResponse.JSON, bytes(body), headers);
    }

    private static ApiResponse json(int status, Object body) {
        return ApiResponse.json(status, bytes(body));
    }

    private static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
