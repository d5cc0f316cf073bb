package dev.fanout.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fanout.app.FanoutDriver;
import dev.fanout.avro.internal.TreeNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.config.types.Password;

/**
 * The query API and the web page over a {@link FanoutDriver}'s stores, on a loopback HTTP port, for browser
 * tests that need store values the coordinator does not produce in the test (written with
 * {@link DriverStores} inside {@link #change}). Besides the API's routes it answers
 * {@code POST /api/trees/{id}/cancel} as the page expects of it: 401 without the right bearer token (checked
 * by {@link HttpSecurity} as the real server does), 409 for a tree that is done, else 202; every such request
 * is kept for the test to inspect.
 */
public final class DriverQueryServer implements AutoCloseable {

    private static final String TREES = "/api/trees/";
    private static final String CANCEL = "/cancel";

    private final FanoutDriver fanout;
    private final QueryApi api;
    private final HttpSecurity security;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final List<CancelRequest> cancels = new ArrayList<>();

    /** A cancel the page sent: the tree, the {@code Authorization} header (null if none) and the answer. */
    public record CancelRequest(String treeId, String authorization, int status) {
    }

    /** Serves on a free loopback port; changing requests need {@code token}. */
    public static DriverQueryServer start(FanoutDriver fanout, String token) {
        return new DriverQueryServer(fanout, token);
    }

    private DriverQueryServer(FanoutDriver fanout, String token) {
        this.fanout = fanout;
        this.api = new DriverQueries(fanout).api();
        this.security = new HttpSecurity(Optional.empty(), Optional.empty(), Optional.of(new Password(token)));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Runs {@code change} (store writes, driver input) while no request is being answered. */
    public synchronized void change(Runnable change) {
        change.run();
    }

    /** The cancels received so far. */
    public synchronized List<CancelRequest> cancels() {
        return List.copyOf(cancels);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private synchronized void handle(HttpExchange exchange) {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            ApiResponse response;
            if (exchange.getRequestMethod().equals("POST") && path.startsWith(TREES) && path.endsWith(CANCEL)) {
                String treeId = URLDecoder.decode(path.substring(TREES.length(), path.length() - CANCEL.length()),
                        StandardCharsets.UTF_8);
                response = cancel(treeId, authorization);
                cancels.add(new CancelRequest(treeId, authorization, response.status()));
            } else {
                response = api.handle(new ApiRequest(exchange.getRequestMethod(), path, query(uri.getRawQuery()),
                        uri.getRawQuery(), false));
            }
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (IOException e) {
            // the browser went away
        }
    }

    private ApiResponse cancel(String treeId, String authorization) {
        if (!security.admits("POST", authorization)) {
            return QueryApi.error(ApiError.unauthorized("POST /api/trees/" + treeId + "/cancel needs the API's token"));
        }
        TreeNode tree = new DriverQueries(fanout).stores().trees().get(treeId);
        if (tree == null) {
            return QueryApi.error(ApiError.notFound("tree '" + treeId + "' not found"));
        }
        if (tree.getDone()) {
            return ApiResponse.json(409, "{\"error\":\"conflict\",\"message\":\"tree is done\"}"
                    .getBytes(StandardCharsets.UTF_8));
        }
        return ApiResponse.json(202, ("{\"tree_id\":\"" + treeId + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    query.putIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }
}
