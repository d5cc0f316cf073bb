package dev.fanout.registry.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one request to the registry: picks a base URL, fails over to the next one when a URL cannot
 * be reached, and retries with backoff on connection failures and HTTP 5xx. Client errors (4xx) are
 * answers, never retried: asking again would get the same answer.
 */
final class RegistryHttpTransport {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /** What Confluent's own client accepts, most specific first. */
    static final String ACCEPT = "application/vnd.schemaregistry.v1+json,"
            + " application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

    private static final Logger log = LoggerFactory.getLogger(RegistryHttpTransport.class);

    private final HttpClient http;
    private final List<Endpoint> endpoints;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final RetryBackoff backoff;
    private final Sleeper sleeper;
    /** The endpoint that answered last; requests start there so a dead first URL costs one failure, not one per request. */
    private final AtomicInteger preferred = new AtomicInteger();

    RegistryHttpTransport(RegistryClientSettings settings, Sleeper sleeper) {
        Objects.requireNonNull(settings, "settings");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        settings.sslContext().ifPresent(builder::sslContext);
        this.http = builder.build();
        this.endpoints = settings.baseUrls().stream().map(url -> Endpoint.of(url, settings.userInfo(), settings.bearerToken())).toList();
        this.requestTimeout = settings.requestTimeout();
        this.maxRetries = settings.maxRetries();
        this.backoff = new RetryBackoff(settings.retryBackoff(), settings.maxRetryBackoff());
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** An answer, error or not; {@code request} names method and URL for messages. */
    record Response(int status, String body, String request) {
    }

    /**
     * Sends the request and returns the first answer that is not a retryable failure, or the last 5xx
     * answer once the retries are spent.
     *
     * @throws SchemaRegistryUnavailableException when no URL answered within the retries
     */
    Response send(String method, String pathAndQuery, Optional<String> jsonBody) {
        int retry = 0;
        while (true) {
            try {
                Response response = sendToFirstReachable(method, pathAndQuery, jsonBody);
                if (response.status() < 500 || retry >= maxRetries) {
                    return response;
                }
                log.warn("{} answered HTTP {}; retrying ({} of {})",
                        response.request(), response.status(), retry + 1, maxRetries);
            } catch (IOException e) {
                if (retry >= maxRetries) {
                    throw new SchemaRegistryUnavailableException(method + " " + pathAndQuery
                            + ": no Schema Registry answered after " + (retry + 1) + " attempt(s): "
                            + e.getMessage(), e);
                }
                log.warn("{}; retrying ({} of {})", e.getMessage(), retry + 1, maxRetries);
            }
            retry++;
            pause(backoff.delayBeforeRetry(retry), method, pathAndQuery);
        }
    }

    private Response sendToFirstReachable(String method, String pathAndQuery, Optional<String> jsonBody)
            throws IOException {
        int start = preferred.get();
        IOException failure = null;
        for (int i = 0; i < endpoints.size(); i++) {
            int index = (start + i) % endpoints.size();
            Endpoint endpoint = endpoints.get(index);
            HttpRequest request = endpoint.request(method, pathAndQuery, jsonBody, requestTimeout);
            String description = method + " " + request.uri();
            try {
                HttpResponse<String> response =
                        http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                preferred.set(index);
                return new Response(response.statusCode(), response.body(), description);
            } catch (IOException e) {
                IOException named = new IOException(description + " failed: " + describe(e), e);
                log.debug("{}; trying the next Schema Registry URL if there is one", named.getMessage());
                if (failure == null) {
                    failure = named;
                } else {
                    failure.addSuppressed(named);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted during " + description, e);
            }
        }
        throw failure;
    }

    private void pause(Duration delay, String method, String pathAndQuery) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while waiting to retry " + method + " " + pathAndQuery, e);
        }
    }

    /** The JDK's connection exceptions often have no message; the class name says what happened. */
    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** A base URL without credentials, and the Authorization header that goes with it, if any. */
    private record Endpoint(String base, Optional<String> authorization) {

        static Endpoint of(URI url, Optional<String> userInfo, Optional<String> bearerToken) {
            String authority = Objects.requireNonNull(url.getRawAuthority(), () -> "no host in " + url);
            int at = authority.lastIndexOf('@');
            String hostAndPort = at < 0 ? authority : authority.substring(at + 1);
            String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
            // Explicit user info wins over the URL's own, as in Confluent's USER_INFO credentials source.
            Optional<String> credentials = userInfo.or(() -> Optional.ofNullable(url.getUserInfo()));
            Optional<String> authorization = bearerToken.isPresent() ? bearerToken.map(token -> "Bearer " + token)
                    : credentials.map(Endpoint::basicAuthorization);
            return new Endpoint(url.getScheme() + "://" + hostAndPort + path, authorization);
        }

        private static String basicAuthorization(String userInfo) {
            return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        }

        /** Never the credentials: endpoints end up in log lines. */
        @Override
        public String toString() {
            return base;
        }

        HttpRequest request(String method, String pathAndQuery, Optional<String> jsonBody, Duration timeout) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .timeout(timeout)
                    .header("Accept", ACCEPT);
            authorization.ifPresent(value -> builder.header("Authorization", value));
            if (jsonBody.isPresent()) {
                builder.header("Content-Type", CONTENT_TYPE);
                builder.method(method, HttpRequest.BodyPublishers.ofString(jsonBody.get(), StandardCharsets.UTF_8));
            } else {
                builder.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return builder.build();
        }
    }
}
