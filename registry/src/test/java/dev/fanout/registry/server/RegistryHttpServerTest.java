package dev.fanout.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class RegistryHttpServerTest {

    private static Router router() {
        return new RegistryApi(new Registry(new InMemorySchemaStore())).router();
    }

    @Test
    void portZeroPicksAFreePort() {
        try (RegistryHttpServer server = RegistryHttpServer.start("127.0.0.1", 0, router())) {
            assertThat(server.address().getPort()).isPositive();
        }
    }

    @Test
    void aPortInUseIsAClearStartupError() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));

            assertThatThrownBy(() -> RegistryHttpServer.start("127.0.0.1", taken.getLocalPort(), router()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void aClosedServerNoLongerAnswersAndFreesItsPort() {
        // Given
        RegistryHttpServer server = RegistryHttpServer.start("127.0.0.1", 0, router());
        int port = server.address().getPort();

        // When
        server.close();

        // Then
        assertThatThrownBy(() -> new RegistryClient("http://127.0.0.1:" + port).get("/"))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(ConnectException.class);
        try (RegistryHttpServer again = RegistryHttpServer.start("127.0.0.1", port, router())) {
            assertThat(again.address().getPort()).isEqualTo(port);
            assertThat(new RegistryClient("http://127.0.0.1:" + port).get("/").body()).isEqualTo("{}");
        }
    }
}
