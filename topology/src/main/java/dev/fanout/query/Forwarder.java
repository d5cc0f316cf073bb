package dev.fanout.query;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Asks another instance: a tree's request forwarded to the instance that owns it, or the internal
 * {@code local=true} list call. The forwarded request carries {@value #FORWARDED_HEADER}, so an
 * instance that does not own the tree either (metadata changing during a rebalance) answers 503 instead
 * of forwarding again.
 */
final class Forwarder {

    static final String FORWARDED_HEADER = "X-Fanout-Forwarded";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;

    Forwarder() {
        this(Optional.empty());
    }

    /** @param tls the TLS context for instances serving HTTPS; empty for plain HTTP */
    Forwarder(Optional<SSLContext> tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        tls.ifPresent(builder::sslContext);
        this.client = builder.build();
    }

    ApiResponse get(String baseUrl, String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(TIMEOUT)
                .header(FORWARDED_HEADER, "true")
                .header("Accept", "application/json")
                .GET()
                .build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            String contentType = response.headers().firstValue("Content-Type").orElse(ApiResponse.JSON);
            Map<String, String> headers = response.headers().firstValue("Retry-After")
                    .map(value -> Map.of("Retry-After", value)).orElse(Map.of());
            return new ApiResponse(response.statusCode(), contentType, response.body(), headers);
        } catch (IOException e) {
            throw ApiError.unavailable("instance " + baseUrl + " did not answer " + pathAndQuery + ": " + e
                    + "; it may be restarting (its partitions then move to another instance): retry in a moment");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("interrupted while asking instance " + baseUrl + "; retry");
        }
    }
}
