package dev.fanout.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API's HTTP server, on the JDK's own {@link HttpServer}. It is bound first (so a port 0 is
 * known before Kafka Streams starts and can advertise it as {@code application.server}) and serves once
 * the {@link QueryApi} is attached; until then every request answers 503.
 */
public final class QueryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
    private static final int THREADS = 8;
    /** The largest request body read (a cancel request's reason and requester). */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpSecurity security;
    private final AtomicReference<QueryApi> api = new AtomicReference<>();

    private QueryServer(HttpServer server, ExecutorService executor, HttpSecurity security) {
        this.server = server;
        this.executor = executor;
        this.security = security;
    }

    /** Listens on {@code host:port} (0: a free port) and starts serving plain HTTP to anyone. */
    public static QueryServer bind(String host, int port) {
        return bind(host, port, HttpSecurity.NONE);
    }

    /** Listens on {@code host:port} (0: a free port) and starts serving, over HTTPS when {@code security} says so. */
    public static QueryServer bind(String host, int port, HttpSecurity security) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        HttpServer server;
        try {
            if (security.server().isPresent()) {
                HttpsServer https = HttpsServer.create(new InetSocketAddress(host, port), 0);
                https.setHttpsConfigurator(new HttpsConfigurator(security.server().get()));
                server = https;
            } else {
                server = HttpServer.create(new InetSocketAddress(host, port), 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the query API cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (is the port in use? set fanout.http.port to another, 0 for any free port, -1 for no API)", e);
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "fanout-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        QueryServer http = new QueryServer(server, executor, security);
        server.createContext("/", http::handle);
        server.setExecutor(executor);
        server.start();
        return http;
    }

    /** Starts answering with {@code queryApi}. */
    void attach(QueryApi queryApi) {
        api.set(Objects.requireNonNull(queryApi, "queryApi"));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            QueryApi current = api.get();
            ApiResponse response = !security.admits(exchange.getRequestMethod(),
                    exchange.getRequestHeaders().getFirst("Authorization"))
                    ? QueryApi.error(ApiError.unauthorized(exchange.getRequestMethod() + " " + exchange.getRequestURI()
                            .getRawPath() + " changes Fanout, so it needs the API's token: send 'Authorization: "
                            + "Bearer <token>' with the value of fanout.http.auth.token"))
                    : current == null
                    ? QueryApi.error(ApiError.unavailable("Fanout is starting; retry in a moment"))
                    : answer(current, exchange);
            write(exchange, response);
        } catch (IOException e) {
            LOG.debug("could not answer {}: {}", exchange.getRequestURI(), e.toString());
        } catch (RuntimeException e) {
            LOG.error("query API failed on {}", exchange.getRequestURI(), e);
        }
    }

    private static ApiResponse answer(QueryApi api, HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        byte[] body = new byte[0];
        if (!method.equals("GET") && !method.equals("HEAD")) {
            body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                return QueryApi.error(ApiError.badRequest("the body of " + method + " " + exchange.getRequestURI()
                        .getRawPath() + " is over " + MAX_BODY_BYTES + " bytes; send a short JSON object"));
            }
        }
        URI uri = exchange.getRequestURI();
        boolean forwarded = exchange.getRequestHeaders().containsKey(Forwarder.FORWARDED_HEADER);
        return api.handle(new ApiRequest(method, uri.getRawPath(), query(uri.getRawQuery()), uri.getRawQuery(),
                forwarded, body));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.putIfAbsent(name, value);
        }
        return query;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // answered as the bad value it is by the route that reads it
        }
    }

    private static void write(HttpExchange exchange, ApiResponse response) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length == 0 ? -1
                : response.body().length);
        if (!head && response.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }
}
