package dev.fanout.registry.client;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How {@link RestSchemaRegistryClient} reaches the registry.
 *
 * @param baseUrls        registry URLs, tried in turn when one refuses connections; a URL may carry
 *                        {@code user:password@} credentials, used unless {@code userInfo} is set
 * @param connectTimeout  how long to wait for a TCP (and TLS) connection
 * @param requestTimeout  how long to wait for the whole answer to one request
 * @param maxRetries      how many times a request is repeated after a connection failure or an HTTP 5xx
 * @param retryBackoff    the pause before the first retry; it doubles on each further retry
 * @param maxRetryBackoff the longest pause between retries
 * @param userInfo        {@code user:password} for HTTP basic auth on every URL, overriding the URLs' own
 * @param sslContext      TLS context for {@code https} URLs; empty means the JVM's default
 * @param bearerToken     a token sent as {@code Authorization: Bearer ...} on every request, instead of
 *                        basic auth
 */
public record RegistryClientSettings(List<URI> baseUrls, Duration connectTimeout, Duration requestTimeout,
                                     int maxRetries, Duration retryBackoff, Duration maxRetryBackoff,
                                     Optional<String> userInfo, Optional<SSLContext> sslContext,
                                     Optional<String> bearerToken) {

    public RegistryClientSettings {
        baseUrls = List.copyOf(Objects.requireNonNull(baseUrls, "baseUrls"));
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one Schema Registry URL is needed");
        }
        for (URI url : baseUrls) {
            if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())
                    || url.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL with a host: " + url);
            }
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(maxRetryBackoff, "maxRetryBackoff");
        Objects.requireNonNull(userInfo, "userInfo");
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(bearerToken, "bearerToken");
        if (userInfo.isPresent() && bearerToken.isPresent()) {
            throw new IllegalArgumentException("give basic auth credentials or a bearer token, not both");
        }
    }

    /** As the canonical constructor, without a bearer token. */
    public RegistryClientSettings(List<URI> baseUrls, Duration connectTimeout, Duration requestTimeout,
            int maxRetries, Duration retryBackoff, Duration maxRetryBackoff, Optional<String> userInfo,
            Optional<SSLContext> sslContext) {
        this(baseUrls, connectTimeout, requestTimeout, maxRetries, retryBackoff, maxRetryBackoff, userInfo,
                sslContext, Optional.empty());
    }

    /** Never the credentials: settings end up in log lines and assertion messages. */
    @Override
    public String toString() {
        return "RegistryClientSettings[baseUrls=" + baseUrls.stream().map(RegistryClientSettings::withoutUserInfo).toList()
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxRetries="
                + maxRetries + ", retryBackoff=" + retryBackoff + ", maxRetryBackoff=" + maxRetryBackoff
                + ", userInfo=" + userInfo.map(u -> "[hidden]").orElse("none") + ", sslContext="
                + (sslContext.isPresent() ? "given" : "default") + ", bearerToken="
                + bearerToken.map(t -> "[hidden]").orElse("none") + "]";
    }

    private static String withoutUserInfo(URI url) {
        return url.getRawUserInfo() == null ? url.toString() : url.toString().replace(url.getRawUserInfo() + "@", "***@");
    }

    /** Settings with the defaults below for everything but the URLs; each argument may list several, comma-separated. */
    public static Builder builder(String... baseUrls) {
        return builder(Arrays.stream(baseUrls)
                .flatMap(urls -> Arrays.stream(urls.split(",")))
                .map(String::strip)
                .filter(url -> !url.isEmpty())
                .map(URI::create)
                .toList());
    }

    public static Builder builder(List<URI> baseUrls) {
        return new Builder(baseUrls);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }

    /** Builds settings; defaults: 10 s to connect, 30 s per request, 3 retries from 100 ms up to 5 s. */
    public static final class Builder {
        private final List<URI> baseUrls;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxRetries = 3;
        private Duration retryBackoff = Duration.ofMillis(100);
        private Duration maxRetryBackoff = Duration.ofSeconds(5);
        private Optional<String> userInfo = Optional.empty();
        private Optional<SSLContext> sslContext = Optional.empty();
        private Optional<String> bearerToken = Optional.empty();

        private Builder(List<URI> baseUrls) {
            this.baseUrls = List.copyOf(Objects.requireNonNull(baseUrls, "baseUrls"));
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder retryBackoff(Duration retryBackoff, Duration maxRetryBackoff) {
            this.retryBackoff = retryBackoff;
            this.maxRetryBackoff = maxRetryBackoff;
            return this;
        }

        public Builder userInfo(String userInfo) {
            this.userInfo = Optional.of(userInfo);
            return this;
        }

        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Optional.of(sslContext);
            return this;
        }

        public Builder bearerToken(String bearerToken) {
            this.bearerToken = Optional.of(bearerToken);
            return this;
        }

        public RegistryClientSettings build() {
            return new RegistryClientSettings(baseUrls, connectTimeout, requestTimeout, maxRetries,
                    retryBackoff, maxRetryBackoff, userInfo, sslContext, bearerToken);
        }
    }
}
