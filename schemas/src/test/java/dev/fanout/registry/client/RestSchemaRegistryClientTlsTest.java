package dev.fanout.registry.client;

import static dev.fanout.registry.client.ScriptedRegistryServer.Reply.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fanout.serde.AvroSerdeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS to the registry, configured with the {@code schema.registry.ssl.*} keys. Key material is made
 * with the JDK's keytool for each run, so no certificate is checked in to expire.
 */
class RestSchemaRegistryClientTlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static Path serverKeystore;
    private static Path clientTruststore;
    private static Path clientKeystore;
    private static Path serverTruststore;

    @BeforeAll
    static void createKeyMaterial() throws Exception {
        serverKeystore = dir.resolve("server.p12");
        clientTruststore = dir.resolve("client-trust.p12");
        clientKeystore = dir.resolve("client.p12");
        serverTruststore = dir.resolve("server-trust.p12");
        keyPair("registry", "CN=127.0.0.1", serverKeystore, "SAN=ip:127.0.0.1");
        trust("registry", serverKeystore, clientTruststore);
        keyPair("client", "CN=fanout-client", clientKeystore, null);
        trust("client", clientKeystore, serverTruststore);
    }

    @Test
    void theRegistryIsTrustedThroughTheConfiguredTruststore() {
        // Given a registry with a certificate the JVM does not trust, and a truststore that holds it
        try (ScriptedRegistryServer server = ScriptedRegistryServer.startTls(serverContext(false), false)) {
            server.on("GET", "/subjects", ok("[\"s\"]"));
            Map<String, Object> config = config(server.url());
            config.putAll(truststore());

            // When a client built from the configuration asks, then the answer comes over TLS
            assertThat(AvroSerdeConfig.createRegistryClient(config).getAllSubjects()).containsExactly("s");
        }
    }

    @Test
    void withoutTheTruststoreTheRegistrysCertificateIsRejected() {
        // Given the same registry and no truststore
        try (ScriptedRegistryServer server = ScriptedRegistryServer.startTls(serverContext(false), false)) {
            server.on("GET", "/subjects", ok("[\"s\"]"));

            // When a client asks, then the handshake fails and nothing reaches the registry
            assertThatThrownBy(() -> AvroSerdeConfig.createRegistryClient(config(server.url())).getAllSubjects())
                    .isInstanceOf(SchemaRegistryUnavailableException.class)
                    .hasMessageContaining("SSLHandshakeException");
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void theClientCertificateComesFromTheConfiguredKeystore() {
        // Given a registry that requires a client certificate it trusts, and a keystore that holds one
        try (ScriptedRegistryServer server = ScriptedRegistryServer.startTls(serverContext(true), true)) {
            server.on("GET", "/subjects", ok("[\"s\"]"));
            Map<String, Object> config = config(server.url());
            config.putAll(truststore());
            config.put(AvroSerdeConfig.SSL_KEYSTORE_LOCATION, clientKeystore.toString());
            config.put(AvroSerdeConfig.SSL_KEYSTORE_PASSWORD, PASSWORD);
            config.put(AvroSerdeConfig.SSL_KEYSTORE_TYPE, "PKCS12");

            // When a client built from the configuration asks, then the registry accepts it
            assertThat(AvroSerdeConfig.createRegistryClient(config).getAllSubjects()).containsExactly("s");
        }
    }

    @Test
    void withoutAClientCertificateARegistryThatRequiresOneRefusesTheConnection() {
        // Given a registry that requires a client certificate, and no keystore
        try (ScriptedRegistryServer server = ScriptedRegistryServer.startTls(serverContext(true), true)) {
            server.on("GET", "/subjects", ok("[\"s\"]"));
            Map<String, Object> config = config(server.url());
            config.putAll(truststore());

            // When a client asks, then the connection fails
            assertThatThrownBy(() -> AvroSerdeConfig.createRegistryClient(config).getAllSubjects())
                    .isInstanceOf(SchemaRegistryUnavailableException.class);
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void aTruststoreThatCannotBeOpenedIsAConfigurationErrorNamingTheFile() {
        // Given the truststore with a wrong password
        Map<String, Object> config = config("https://127.0.0.1:8081");
        config.putAll(truststore());
        config.put(AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, "wrong");

        // When a client is built, then the error names the file and the settings to check
        assertThatThrownBy(() -> AvroSerdeConfig.createRegistryClient(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(clientTruststore.toString())
                .hasMessageContaining(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION);
    }

    private static Map<String, Object> config(String url) {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url);
        config.put(AvroSerdeConfig.RETRIES, 0);
        return config;
    }

    private static Map<String, Object> truststore() {
        return Map.of(AvroSerdeConfig.SSL_TRUSTSTORE_LOCATION, clientTruststore.toString(),
                AvroSerdeConfig.SSL_TRUSTSTORE_PASSWORD, PASSWORD,
                AvroSerdeConfig.SSL_TRUSTSTORE_TYPE, "PKCS12");
    }

    private static javax.net.ssl.SSLContext serverContext(boolean trustClient) {
        return new TlsSettings(
                trustClient ? Optional.of(new TlsSettings.KeyStoreFile(serverTruststore, Optional.of(PASSWORD), "PKCS12"))
                        : Optional.empty(),
                Optional.of(new TlsSettings.KeyStoreFile(serverKeystore, Optional.of(PASSWORD), "PKCS12")),
                Optional.empty()).createSslContext();
    }

    private static void keyPair(String alias, String dname, Path keystore, String extension) throws Exception {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", dname, "-validity", "2", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (extension != null) {
            args.addAll(List.of("-ext", extension));
        }
        keytool(args);
    }

    private static void trust(String alias, Path keystore, Path truststore) throws Exception {
        Path certificate = dir.resolve(alias + ".pem");
        keytool(List.of("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-file", certificate.toString()));
        keytool(List.of("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD));
    }

    private static void keytool(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool " + args + " failed: " + output);
        }
    }
}
