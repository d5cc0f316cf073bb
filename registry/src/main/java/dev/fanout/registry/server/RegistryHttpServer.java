package dev.fanout.registry.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link Router} over HTTP with the JDK's own server: reads the request, negotiates the content
 * type, and writes the endpoint's answer or the error in Confluent's form
 * {@code {"error_code": N, "message": "..."}}.
 */
final class RegistryHttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RegistryHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int THREADS = 16;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Router router;
    private final BasicAuth basicAuth;

    private RegistryHttpServer(HttpServer server, ExecutorService executor, Router router, BasicAuth basicAuth) {
        this.server = server;
        this.executor = executor;
        this.router = router;
        this.basicAuth = basicAuth;
    }

    /** Binds to host and port (0 picks a free port) and starts serving plain HTTP to anyone. */
    static RegistryHttpServer start(String host, int port, Router router) {
        return start(host, port, router, Optional.empty(), BasicAuth.NONE);
    }

    /** Binds to host and port (0 picks a free port) and starts serving, over HTTPS when {@code tls} is given. */
    static RegistryHttpServer start(String host, int port, Router router, Optional<RegistryTls> tls, BasicAuth basicAuth) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(basicAuth, "basicAuth");
        HttpServer server;
        try {
            if (tls.isPresent()) {
                HttpsServer https = HttpsServer.create(new InetSocketAddress(host, port), 0);
                https.setHttpsConfigurator(configurator(tls.get()));
                server = https;
            } else {
                server = HttpServer.create(new InetSocketAddress(host, port), 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (is the port in use? choose another, or 0 for any free port)", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        RegistryHttpServer http = new RegistryHttpServer(server, executor, router, basicAuth);
        server.createContext("/", http::handle);
        server.setExecutor(executor);
        server.start();
        return http;
    }

    private static HttpsConfigurator configurator(RegistryTls tls) {
        SSLContext context = tls.sslContext();
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = context.getDefaultSSLParameters();
                switch (tls.clientAuthentication()) {
                    case REQUIRED -> parameters.setNeedClientAuth(true);
                    case REQUESTED -> parameters.setWantClientAuth(true);
                    case NONE -> parameters.setNeedClientAuth(false);
                }
                params.setSSLParameters(parameters);
            }
        };
    }

    boolean isHttps() {
        return server instanceof HttpsServer;
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        String responseType = MediaTypes.V1_JSON;
        ApiResponse response;
        try {
            responseType = MediaTypes.responseType(exchange.getRequestHeaders().getFirst("Accept"));
            if (!basicAuth.admits(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + BasicAuth.REALM + "\"");
                throw RegistryError.unauthorized();
            }
            response = router.route(request(exchange));
        } catch (RegistryError e) {
            if (e.status() >= 500) {
                log.warn("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.getMessage(),
                        e.getCause());
            }
            response = error(e);
        } catch (RuntimeException e) {
            log.error("{} {} failed unexpectedly", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            response = error(RegistryError.internal(e));
        }
        send(exchange, response, responseType);
    }

    private static ApiRequest request(HttpExchange exchange) {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        if (method.equals("POST") || method.equals("PUT")) {
            MediaTypes.checkRequestType(exchange.getRequestHeaders().getFirst("Content-Type"));
        }
        byte[] body;
        try {
            body = exchange.getRequestBody().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ApiRequest(method, pathSegments(exchange.getRequestURI().getRawPath()),
                query(exchange.getRequestURI().getRawQuery()), body);
    }

    /** Decoded segments; a trailing slash is ignored, as JAX-RS ignores it. */
    private static List<String> pathSegments(String rawPath) {
        List<String> segments = new ArrayList<>();
        String[] parts = rawPath.split("/", -1);
        for (int i = 1; i < parts.length; i++) {
            if (i < parts.length - 1 || !parts[i].isEmpty()) {
                // In a path '+' is a plus sign, not a space.
                segments.add(decode(parts[i].replace("+", "%2B")));
            }
        }
        return segments;
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            query.putIfAbsent(name, equals < 0 ? "" : decode(pair.substring(equals + 1)));
        }
        return query;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RegistryError.notFound();
        }
    }

    private static ApiResponse error(RegistryError e) {
        try {
            return new ApiResponse(e.status(), JSON.writeValueAsString(JSON.createObjectNode()
                    .put("error_code", e.errorCode()).put("message", e.getMessage())));
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
    }

    private static void send(HttpExchange exchange, ApiResponse response, String contentType) {
        byte[] body = response.json().getBytes(StandardCharsets.UTF_8);
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(response.status(), body.length);
            exchange.getResponseBody().write(body);
        } catch (IOException e) {
            log.debug("client went away before the answer to {} {} was sent", exchange.getRequestMethod(),
                    exchange.getRequestURI(), e);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "fanout-registry-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
