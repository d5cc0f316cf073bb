package dev.fanout.registry.client;

import static dev.fanout.registry.client.ScriptedRegistryServer.Reply.error;
import static dev.fanout.registry.client.ScriptedRegistryServer.Reply.html;
import static dev.fanout.registry.client.ScriptedRegistryServer.Reply.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How the registry's error answers become exceptions. */
class RestSchemaRegistryClientErrorsTest {

    private final ScriptedRegistryServer server = ScriptedRegistryServer.start();
    private final RestSchemaRegistryClient client =
            new RestSchemaRegistryClient(RegistryClientSettings.builder(server.url()).maxRetries(0).build());

    @AfterEach
    void stopServer() {
        server.close();
    }

    static Stream<Arguments> errorCodes() {
        return Stream.of(
                Arguments.of(404, 40401, SubjectNotFoundException.class),
                Arguments.of(404, 40402, VersionNotFoundException.class),
                Arguments.of(404, 40403, SchemaNotFoundException.class),
                Arguments.of(409, 409, IncompatibleSchemaException.class),
                Arguments.of(422, 42201, InvalidSchemaException.class),
                Arguments.of(422, 42202, InvalidVersionException.class),
                Arguments.of(422, 42203, InvalidCompatibilityLevelException.class),
                Arguments.of(500, 50001, SchemaRegistryStoreException.class),
                Arguments.of(401, 401, RestClientException.class));
    }

    @ParameterizedTest(name = "HTTP {0} with error code {1} is a {2}")
    @MethodSource("errorCodes")
    void anErrorCodeBecomesItsTypedException(int status, int errorCode, Class<? extends RestClientException> type) {
        // Given a registry that answers with Confluent's error JSON
        server.on("GET", "/subjects/s/versions/1", error(status, errorCode, "the registry's words"));

        // When the client asks
        RestClientException e = catchThrowableOfType(RestClientException.class, () -> client.getVersion("s", 1));

        // Then the exception has the code's type and carries status, code, message and the URL
        assertThat(e).isExactlyInstanceOf(type);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.errorCode()).isEqualTo(errorCode);
        assertThat(e.registryMessage()).isEqualTo("the registry's words");
        assertThat(e.getMessage()).contains("GET " + server.url() + "/subjects/s/versions/1", "HTTP " + status,
                "error code " + errorCode, "the registry's words");
    }

    @Test
    void anErrorBodyThatIsNotJsonStillNamesTheUrlAndStatus() {
        // Given a proxy in front of the registry that answers with an HTML page
        server.on("GET", "/subjects", html(502, "<html><body>Bad Gateway</body></html>"));

        // When the client asks
        RestClientException e = catchThrowableOfType(RestClientException.class, () -> client.getAllSubjects());

        // Then the exception names the URL, the status and what came back
        assertThat(e.httpStatus()).isEqualTo(502);
        assertThat(e.errorCode()).isEqualTo(502);
        assertThat(e.getMessage()).contains("GET " + server.url() + "/subjects", "HTTP 502",
                "not Confluent error JSON", "Bad Gateway");
    }

    @Test
    void aSuccessfulAnswerThatIsNotJsonIsReportedWithItsUrl() {
        // Given a server that is not a registry at all
        server.on("GET", "/subjects", html(200, "<html>Welcome to nginx!</html>"));

        // When the client asks, then it says the answer is not JSON, and from where
        assertThatThrownBy(() -> client.getAllSubjects())
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining(server.url() + "/subjects")
                .hasMessageContaining("not JSON");
    }

    @Test
    void anAnswerWithoutTheExpectedFieldIsReported() {
        // Given a registry that answers registration without an id
        server.on("POST", "/subjects/s/versions", ok("{\"version\":1}"));

        // When a schema is registered, then the missing field is named
        assertThatThrownBy(() -> client.register("s", org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING)))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("expected id");
    }
}
