package dev.fanout.registry.client;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A stand-in registry on loopback that answers from a script and records every request, so that
 * tests can check what the client sent (method, raw path, query, headers, body) and how it handles
 * each answer. Requests nobody scripted get Confluent's 404.
 */
final class ScriptedRegistryServer implements AutoCloseable {

    private final HttpServer server;
    private final String scheme;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Deque<Reply>> script = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch stalledRepliesMayFinish = new CountDownLatch(1);

    private ScriptedRegistryServer(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static ScriptedRegistryServer start() {
        try {
            return new ScriptedRegistryServer(HttpServer.create(loopback(), 0), "http");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ScriptedRegistryServer startTls(SSLContext context, boolean needClientAuth) {
        try {
            HttpsServer server = HttpsServer.create(loopback(), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = context.getDefaultSSLParameters();
                    parameters.setNeedClientAuth(needClientAuth);
                    params.setSSLParameters(parameters);
                }
            });
            return new ScriptedRegistryServer(server, "https");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL, such as {@code http://127.0.0.1:40123}. */
    String url() {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers requests to {@code method rawPath} with the replies in turn; the last one repeats. */
    ScriptedRegistryServer on(String method, String rawPath, Reply... replies) {
        script.put(method + " " + rawPath, new ArrayDeque<>(Arrays.asList(replies)));
        return this;
    }

    List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    RecordedRequest onlyRequest() {
        List<RecordedRequest> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + all);
        }
        return all.get(0);
    }

    @Override
    public void close() {
        stalledRepliesMayFinish.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), copy(exchange.getRequestHeaders()), body));
            Reply reply = nextReply(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            if (reply.stall()) {
                awaitRelease();
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    private Reply nextReply(String route) {
        Deque<Reply> replies = script.get(route);
        if (replies == null) {
            return Reply.error(404, 404, "HTTP 404 Not Found");
        }
        synchronized (replies) {
            return replies.size() > 1 ? replies.poll() : replies.peek();
        }
    }

    private void awaitRelease() {
        try {
            stalledRepliesMayFinish.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static Map<String, List<String>> copy(Headers headers) {
        Map<String, List<String>> copy = new ConcurrentHashMap<>();
        headers.forEach((name, values) -> copy.put(name.toLowerCase(), new ArrayList<>(values)));
        return copy;
    }

    /** One scripted answer; {@code stall} holds it back until the server closes, to provoke timeouts. */
    record Reply(int status, String body, String contentType, boolean stall) {

        static Reply json(int status, String body) {
            return new Reply(status, body, "application/vnd.schemaregistry.v1+json", false);
        }

        static Reply ok(String body) {
            return json(200, body);
        }

        static Reply error(int status, int errorCode, String message) {
            return json(status, "{\"error_code\":" + errorCode + ",\"message\":\"" + message + "\"}");
        }

        static Reply html(int status, String body) {
            return new Reply(status, body, "text/html", false);
        }

        static Reply stalled() {
            return new Reply(200, "{}", "application/json", true);
        }
    }

    /** What the client sent; header names are lower case. */
    record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers, String body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null ? null : String.join(",", values);
        }
    }
}
