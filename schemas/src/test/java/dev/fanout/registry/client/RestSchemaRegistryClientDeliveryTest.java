package dev.fanout.registry.client;

import static dev.fanout.registry.client.ScriptedRegistryServer.Reply.error;
import static dev.fanout.registry.client.ScriptedRegistryServer.Reply.ok;
import static dev.fanout.registry.client.ScriptedRegistryServer.Reply.stalled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Retries, failover, timeouts and credentials: how a request reaches the registry. */
class RestSchemaRegistryClientDeliveryTest {

    private final ScriptedRegistryServer server = ScriptedRegistryServer.start();
    /** The pauses the client would have taken between retries; recorded instead of slept. */
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void a503IsRetriedUntilTheRegistryAnswers() {
        // Given a registry that is briefly unavailable
        server.on("GET", "/subjects", error(503, 503, "unavailable"), error(503, 503, "unavailable"), ok("[\"s\"]"));
        RestSchemaRegistryClient client = client(RegistryClientSettings.builder(server.url()).maxRetries(3));

        // When the client asks
        List<String> subjects = client.getAllSubjects();

        // Then it got the answer on the third attempt, pausing before each retry
        assertThat(subjects).containsExactly("s");
        assertThat(server.requests()).hasSize(3);
        assertThat(pauses).hasSize(2);
    }

    @Test
    void theLast5xxAnswerIsThrownOnceTheRetriesAreSpent() {
        // Given a registry whose store keeps failing
        server.on("GET", "/subjects", error(500, 50001, "Error while fetching subjects"));
        RestSchemaRegistryClient client = client(RegistryClientSettings.builder(server.url()).maxRetries(2));

        // When the client asks, then after one attempt and two retries the store error surfaces
        assertThatThrownBy(client::getAllSubjects)
                .isInstanceOf(SchemaRegistryStoreException.class)
                .hasMessageContaining("Error while fetching subjects");
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void thePauseBeforeEachRetryDoublesUpToTheMaximum() {
        // Given a registry that never recovers, and backoff from 100 ms up to 300 ms
        server.on("GET", "/subjects", error(503, 503, "unavailable"));
        RestSchemaRegistryClient client = client(RegistryClientSettings.builder(server.url()).maxRetries(4)
                .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(300)));

        // When the client asks until it gives up
        assertThatThrownBy(client::getAllSubjects).isInstanceOf(RestClientException.class);

        // Then the pauses were about 100, 200, 300, 300 ms (give or take the 20% jitter)
        assertThat(pauses).hasSize(4);
        assertThat(pauses.get(0).toMillis()).isBetween(80L, 120L);
        assertThat(pauses.get(1).toMillis()).isBetween(160L, 240L);
        assertThat(pauses.get(2).toMillis()).isBetween(240L, 360L);
        assertThat(pauses.get(3).toMillis()).isBetween(240L, 360L);
    }

    @ParameterizedTest(name = "HTTP {0} (error code {1}) is not retried")
    @CsvSource({"404, 40401", "409, 409", "422, 42201"})
    void aClientErrorIsNeverRetried(int status, int errorCode) {
        // Given a registry that refuses the request
        server.on("POST", "/subjects/s/versions", error(status, errorCode, "refused"));
        RestSchemaRegistryClient client = client(RegistryClientSettings.builder(server.url()).maxRetries(3));

        // When the client registers a schema
        RestClientException e = catchThrowableOfType(RestClientException.class,
                () -> client.register("s", org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING)));

        // Then it asked once: asking again would get the same answer
        assertThat(e.errorCode()).isEqualTo(errorCode);
        assertThat(server.requests()).hasSize(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void theNextUrlIsTriedWhenTheFirstRefusesConnections() {
        // Given a first URL where nothing listens, and a working second one, comma-separated
        server.on("GET", "/subjects", ok("[\"s\"]"));
        RestSchemaRegistryClient client = client(
                RegistryClientSettings.builder("http://127.0.0.1:" + closedPort() + "," + server.url()).maxRetries(0));

        // When the client asks, without any retries
        List<String> subjects = client.getAllSubjects();

        // Then the second URL answered, without a pause
        assertThat(subjects).containsExactly("s");
        assertThat(server.requests()).hasSize(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void noReachableUrlFailsAsUnavailableNamingEveryUrlTried() {
        // Given two URLs where nothing listens
        String first = "http://127.0.0.1:" + closedPort();
        String second = "http://127.0.0.1:" + closedPort();
        RestSchemaRegistryClient client = client(RegistryClientSettings.builder(first, second).maxRetries(2));

        // When the client asks
        SchemaRegistryUnavailableException e =
                catchThrowableOfType(SchemaRegistryUnavailableException.class, client::getAllSubjects);

        // Then it retried twice and names both URLs and the connection failure
        assertThat(pauses).hasSize(2);
        assertThat(e.getMessage()).contains("GET /subjects", "3 attempt(s)", first + "/subjects", "ConnectException");
        assertThat(e.getCause().getSuppressed()).singleElement()
                .satisfies(s -> assertThat(s.getMessage()).contains(second + "/subjects"));
    }

    @Test
    void anAnswerThatTakesLongerThanTheRequestTimeoutFailsAsUnavailable() {
        // Given a registry that does not answer in time
        server.on("GET", "/subjects", stalled());
        RestSchemaRegistryClient client = client(RegistryClientSettings.builder(server.url())
                .requestTimeout(Duration.ofMillis(200)).maxRetries(0));

        // When the client asks, then it gives up with a timeout that names the URL
        assertThatThrownBy(client::getAllSubjects)
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining(server.url() + "/subjects")
                .hasMessageContaining("HttpTimeoutException");
    }

    @Test
    void aTimedOutRequestIsRetried() {
        // Given a registry whose first answer is too slow and whose second is prompt
        server.on("GET", "/subjects", stalled(), ok("[\"s\"]"));
        RestSchemaRegistryClient client = client(RegistryClientSettings.builder(server.url())
                .requestTimeout(Duration.ofMillis(200)).maxRetries(1));

        // When the client asks, then the retry gets the answer
        assertThat(client.getAllSubjects()).containsExactly("s");
        assertThat(pauses).hasSize(1);
    }

    @Test
    void explicitUserInfoIsSentAsBasicAuth() {
        // Given credentials configured as user info
        server.on("GET", "/subjects", ok("[]"));
        RestSchemaRegistryClient client = client(RegistryClientSettings.builder(server.url()).userInfo("fanout:s3cret"));

        // When the client asks
        client.getAllSubjects();

        // Then the request carries them as HTTP basic auth
        assertThat(server.onlyRequest().header("Authorization")).isEqualTo(basic("fanout:s3cret"));
    }

    @Test
    void credentialsInTheUrlAreSentAsBasicAuth() {
        // Given a URL that carries (percent-encoded) credentials
        server.on("GET", "/subjects", ok("[]"));
        String url = server.url().replace("://", "://alice:p%40ss@");
        RestSchemaRegistryClient client = client(RegistryClientSettings.builder(url));

        // When the client asks
        client.getAllSubjects();

        // Then they are decoded and sent as HTTP basic auth
        assertThat(server.onlyRequest().header("Authorization")).isEqualTo(basic("alice:p@ss"));
    }

    @Test
    void explicitUserInfoWinsOverCredentialsInTheUrl() {
        // Given credentials both in the URL and as user info
        server.on("GET", "/subjects", ok("[]"));
        String url = server.url().replace("://", "://alice:old@");
        RestSchemaRegistryClient client = client(RegistryClientSettings.builder(url).userInfo("bob:new"));

        // When the client asks, then the user info is sent
        client.getAllSubjects();
        assertThat(server.onlyRequest().header("Authorization")).isEqualTo(basic("bob:new"));
    }

    @Test
    void noCredentialsMeansNoAuthorizationHeader() {
        // Given a URL without credentials and no user info
        server.on("GET", "/subjects", ok("[]"));
        RestSchemaRegistryClient client = client(RegistryClientSettings.builder(server.url()));

        // When the client asks, then it sends no Authorization header
        client.getAllSubjects();
        assertThat(server.onlyRequest().header("Authorization")).isNull();
    }

    @Test
    void aBaseUrlWithAPathPrefixKeepsIt() {
        // Given a registry served under /registry/ behind a proxy
        server.on("GET", "/registry/subjects", ok("[\"s\"]"));
        RestSchemaRegistryClient client = client(RegistryClientSettings.builder(server.url() + "/registry/"));

        // When the client asks, then the prefix is kept and the trailing slash not doubled
        assertThat(client.getAllSubjects()).containsExactly("s");
        assertThat(server.onlyRequest().path()).isEqualTo("/registry/subjects");
    }

    private RestSchemaRegistryClient client(RegistryClientSettings.Builder settings) {
        return new RestSchemaRegistryClient(settings.build(), pauses::add);
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    /** A loopback port that was free a moment ago and now refuses connections. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
