package dev.fanout.cli.tree;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fanout.cli.tree.TreeApiException.Kind;
import dev.fanout.cli.tree.TreeModel.NodePage;
import dev.fanout.cli.tree.TreeModel.TreeList;
import dev.fanout.cli.tree.TreeModel.TreeSummary;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A client of the tree query API served by the topology ({@code GET /api/trees...}). Errors become
 * {@link TreeApiException}s whose message names the URL and what to do; answers of a rebalancing instance
 * (503 with Retry-After) are retried for a while before giving up.
 */
public final class TreeApi {

    /** Where {@code ./fanout dev} serves the API. */
    public static final String DEFAULT_URL = "http://localhost:8080";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration UNAVAILABLE_PATIENCE = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private TreeApi(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** A client of the API at {@code url}, such as {@code http://localhost:8080}; refuses what is not an http(s) URL. */
    public static TreeApi at(String url) {
        Objects.requireNonNull(url, "url");
        String trimmed = url.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--api '" + url + "' is not a URL (" + e.getReason()
                    + "); give the API's base URL, such as " + DEFAULT_URL, e);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("--api '" + url + "' is not an http(s) URL with a host; give the API's "
                    + "base URL, such as " + DEFAULT_URL);
        }
        return new TreeApi(uri);
    }

    public URI base() {
        return base;
    }

    /** GET /api/trees/{id}. */
    public TreeSummary tree(String treeId) {
        return get("/api/trees/" + segment(treeId), TreeSummary.class, "tree '" + treeId + "'");
    }

    /** GET /api/trees/{id}/nodes: children of {@code parent} (null: the root fan-out's), one page. */
    public NodePage nodes(String treeId, String parent, String cursor, int limit) {
        StringJoiner query = new StringJoiner("&", "?", "");
        if (parent != null) {
            query.add("parent=" + param(parent));
        }
        if (cursor != null) {
            query.add("cursor=" + param(cursor));
        }
        query.add("limit=" + limit);
        String what = parent == null ? "tree '" + treeId + "'" : "run '" + parent + "' of tree '" + treeId + "'";
        return get("/api/trees/" + segment(treeId) + "/nodes" + query, NodePage.class, what);
    }

    /** GET /api/trees: newest first; status is running, done or all. */
    public TreeList trees(String status, int limit) {
        return get("/api/trees?status=" + param(status) + "&limit=" + limit, TreeList.class, "trees");
    }

    private <T> T get(String path, Class<T> type, String what) {
        URI uri = base.resolve(base.getPath() + path);
        long giveUpAt = System.nanoTime() + UNAVAILABLE_PATIENCE.toNanos();
        while (true) {
            HttpResponse<String> response = send(uri);
            int code = response.statusCode();
            if (code == 200) {
                return parse(response.body(), type, uri);
            }
            String message = serverMessage(response.body());
            if (code == 404) {
                throw new TreeApiException(Kind.NOT_FOUND, what + " not found at " + base + ": " + message, null);
            }
            if (code == 400) {
                throw new TreeApiException(Kind.BAD_REQUEST, "the API at " + base + " refused " + path + ": " + message, null);
            }
            if (code == 503 && System.nanoTime() < giveUpAt) {
                pause(retryAfter(response));
                continue;
            }
            Kind kind = code == 503 ? Kind.UNAVAILABLE : Kind.FAILED;
            throw new TreeApiException(kind, "the API at " + base + " answered " + code + " to GET " + path + ": "
                    + message + (code == 503 ? " (still unavailable after " + UNAVAILABLE_PATIENCE.toSeconds()
                    + " s; is the topology running and its partitions assigned?)" : ""), null);
        }
    }

    private HttpResponse<String> send(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TreeApiException(Kind.UNREACHABLE, "interrupted while asking " + uri, e);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw unreachable(e instanceof ConnectException ? "connection refused" : "no answer to connect within "
                    + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw new TreeApiException(Kind.UNREACHABLE, "the API at " + base + " did not answer GET " + uri.getRawPath()
                    + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        } catch (IOException e) {
            throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    private TreeApiException unreachable(String why, Throwable cause) {
        return new TreeApiException(Kind.UNREACHABLE, "cannot reach the Fanout API at " + base + " (" + why
                + "); start the local stack with './fanout dev', or point --api at a running Fanout's HTTP port", cause);
    }

    private <T> T parse(String body, Class<T> type, URI uri) {
        try {
            return json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new TreeApiException(Kind.FAILED, uri + " did not answer with the tree API's JSON ("
                    + e.getOriginalMessage() + "); is --api the Fanout HTTP API?", e);
        }
    }

    /** The {@code message} of an error body, or the body itself when it is not the API's JSON. */
    private String serverMessage(String body) {
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.hasNonNull("message")) {
                return node.get("message").asText();
            }
        } catch (JsonProcessingException notJson) {
            // fall through to the raw text
        }
        String text = body == null ? "" : body.strip();
        return text.isEmpty() ? "(no body)" : text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        long seconds = response.headers().firstValue("Retry-After").map(v -> {
            try {
                return Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                return 1L;
            }
        }).orElse(1L);
        return Duration.ofSeconds(Math.max(1, Math.min(seconds, 5)));
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TreeApiException(Kind.UNAVAILABLE, "interrupted while waiting for the API", e);
        }
    }

    private static String segment(String s) {
        return param(s);
    }

    private static String param(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
