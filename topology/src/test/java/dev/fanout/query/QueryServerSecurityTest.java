package dev.fanout.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.app.FanoutDriver;
import dev.fanout.app.Samples;
import dev.fanout.config.FanoutConfig;
import dev.fanout.testkit.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API's own protection, over a real HTTP server: a token for every request that is not a
 * read, and HTTPS. The rule is the server's, for any method but GET and HEAD and any path: refused
 * without the token, handed to the routes with it (which answer 405 where a route only reads, and take
 * the cancel of a tree).
 */
class QueryServerSecurityTest {

    private static final String TOKEN = "tok-7f3a";

    @TempDir
    Path dir;

    private FanoutDriver fanout;
    private DriverQueries queries;
    private QueryServer server;

    @BeforeEach
    void startFanoutWithOneTree() {
        fanout = new FanoutDriver(dir.resolve("state"));
        queries = new DriverQueries(fanout);
        fanout.subscribe(Samples.subscription("app-a", "on-release").build());
        fanout.emit(Samples.event("e1").build());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        fanout.close();
    }

    @Test
    void readsNeedNoToken() throws Exception {
        serve(new HttpSecurity(Optional.empty(), Optional.empty(), Optional.of(new Password(TOKEN))));

        assertThat(send(HttpClient.newHttpClient(), "http", "GET", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aChangingRequestWithoutTheTokenIsRefusedNamingTheSetting() throws Exception {
        serve(new HttpSecurity(Optional.empty(), Optional.empty(), Optional.of(new Password(TOKEN))));

        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> response = send(HttpClient.newHttpClient(), "http", method, null);
            assertThat(response.statusCode()).as(method).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"fanout\"");
            assertThat(response.body()).contains("\"error\":\"unauthorized\"").contains("fanout.http.auth.token")
                    .doesNotContain(TOKEN);
        }
        assertThat(send(HttpClient.newHttpClient(), "http", "POST", "Bearer wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void aChangingRequestWithTheTokenReachesTheRoutes() throws Exception {
        serve(new HttpSecurity(Optional.empty(), Optional.empty(), Optional.of(new Password(TOKEN))));

        HttpResponse<String> response = send(HttpClient.newHttpClient(), "http", "POST", "Bearer " + TOKEN);

        // the routes answer: no route changes anything yet, so a POST is not allowed there
        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void cancellingATreeNeedsTheTokenWhenOneIsSet() throws Exception {
        serve(new HttpSecurity(Optional.empty(), Optional.empty(), Optional.of(new Password(TOKEN))));

        HttpResponse<String> without = send(HttpClient.newHttpClient(), "http", "POST", "/api/trees/e1/cancel", null);
        HttpResponse<String> wrong = send(HttpClient.newHttpClient(), "http", "POST", "/api/trees/e1/cancel", "Bearer x");
        HttpResponse<String> with = send(HttpClient.newHttpClient(), "http", "POST", "/api/trees/e1/cancel",
                "Bearer " + TOKEN);

        assertThat(without.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(with.statusCode()).as(with.body()).isEqualTo(202);
        assertThat(queries.cancelRequests()).singleElement().satisfies(c -> assertThat(c.getTreeId()).isEqualTo("e1"));
    }

    @Test
    void withoutATokenSetACancelIsTakenFromAnyone() throws Exception {
        serve(HttpSecurity.NONE);

        assertThat(send(HttpClient.newHttpClient(), "http", "POST", "/api/trees/e1/cancel", null).statusCode())
                .isEqualTo(202);
    }

    @Test
    void withoutATokenNothingIsAskedFor() throws Exception {
        serve(HttpSecurity.NONE);

        assertThat(send(HttpClient.newHttpClient(), "http", "POST", null).statusCode()).isEqualTo(405);
    }

    @Test
    void aKeystoreTurnsTheApiToHttpsOnly() throws Exception {
        // Given a key store made by a test authority, in the settings as a user writes them
        TestPki pki = TestPki.create(dir.resolve("pki"), "api-ca");
        FanoutConfig config = new FanoutConfig(Map.of(
                FanoutConfig.HTTP_SSL_KEYSTORE_LOCATION, pki.keystore("fanout-api").toString(),
                FanoutConfig.HTTP_SSL_KEYSTORE_PASSWORD, pki.password().value()));
        HttpSecurity security = HttpSecurity.of(config);
        serve(security);

        // When a client that trusts the authority reads, then it is answered over TLS
        assertThat(security.scheme()).isEqualTo("https");
        assertThat(send(trusting(pki), "https", "GET", null).statusCode()).isEqualTo(200);
        // and a plain HTTP client gets no answer
        assertThatThrownBy(() -> send(HttpClient.newHttpClient(), "http", "GET", null))
                .isInstanceOf(IOException.class);
    }

    private void serve(HttpSecurity security) {
        server = QueryServer.bind("127.0.0.1", 0, security);
        server.attach(queries.api());
    }

    private HttpResponse<String> send(HttpClient client, String scheme, String method, String authorization)
            throws Exception {
        return send(client, scheme, method, "/api/trees", authorization);
    }

    private HttpResponse<String> send(HttpClient client, String scheme, String method, String path,
            String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient trusting(TestPki pki) throws Exception {
        KeyStore trust = KeyStore.getInstance(TestPki.STORE_TYPE);
        try (InputStream in = Files.newInputStream(pki.truststore())) {
            trust.load(in, pki.password().value().toCharArray());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }
}
