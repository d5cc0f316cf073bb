package dev.fanout.query;

import dev.fanout.config.FanoutConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * How the query API protects itself: HTTPS when {@code fanout.http.ssl.keystore.location} is set, and a
 * bearer token ({@code fanout.http.auth.token}) that every request other than GET and HEAD must carry.
 * Reading stays open, like the page; changing anything needs the token. Forwarded reads between
 * instances use HTTPS too, trusting {@code fanout.http.ssl.truststore.location} (or the JVM's default).
 *
 * @param server  the TLS context the server presents; empty for plain HTTP
 * @param client  the TLS context for asking other instances; empty for plain HTTP
 * @param token   the bearer token of changing requests; empty when they need none
 */
public record HttpSecurity(Optional<SSLContext> server, Optional<SSLContext> client, Optional<Password> token) {

    public static final HttpSecurity NONE = new HttpSecurity(Optional.empty(), Optional.empty(), Optional.empty());

    public HttpSecurity {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(token, "token");
    }

    /**
     * @throws ConfigException naming the setting when a store cannot be read
     */
    public static HttpSecurity of(FanoutConfig config) {
        Optional<SSLContext> server = Optional.empty();
        Optional<SSLContext> client = Optional.empty();
        if (config.httpKeystoreLocation().isPresent()) {
            try {
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                Password password = config.httpKeystorePassword();
                keys.init(load(config.httpKeystoreLocation().get(), password, config.httpKeystoreType(),
                        FanoutConfig.HTTP_SSL_KEYSTORE_LOCATION), password.value().toCharArray());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys.getKeyManagers(), null, null);
                server = Optional.of(context);
                TrustManagerFactory trust = null;
                if (config.httpTruststoreLocation().isPresent()) {
                    trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    trust.init(load(config.httpTruststoreLocation().get(), config.httpTruststorePassword(),
                            config.httpTruststoreType(), FanoutConfig.HTTP_SSL_TRUSTSTORE_LOCATION));
                }
                SSLContext forwarding = SSLContext.getInstance("TLS");
                forwarding.init(null, trust == null ? null : trust.getTrustManagers(), null);
                client = Optional.of(forwarding);
            } catch (GeneralSecurityException e) {
                throw new ConfigException(FanoutConfig.HTTP_SSL_KEYSTORE_LOCATION + ": no TLS context from the "
                        + "query API's stores: " + e.getMessage() + "; check the stores, passwords and types");
            }
        }
        return new HttpSecurity(server, client, config.httpAuthToken());
    }

    /** {@code https} with TLS, else {@code http}: the scheme of this and every other instance. */
    public String scheme() {
        return server.isPresent() ? "https" : "http";
    }

    /** Whether a request with this method and {@code Authorization} header (null when absent) may go on. */
    boolean admits(String method, String authorization) {
        if (token.isEmpty() || method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Compared in constant time, so the answer's timing tells nothing about the token.
        return MessageDigest.isEqual(token.get().value().getBytes(StandardCharsets.UTF_8),
                authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    private static KeyStore load(Path file, Password password, String type, String setting) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.value().toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(setting + " " + file + " (type " + type + ") cannot be read: " + e.getMessage()
                    + "; check the location, its password and type");
        }
    }

    /** Never the token. */
    @Override
    public String toString() {
        return "HttpSecurity[" + scheme() + ", token " + (token.isPresent() ? "required for changes" : "none") + "]";
    }
}
