package dev.fanout.testkit;

import dev.fanout.embedded.BrokerSecurity;
import dev.fanout.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;

/**
 * A real KRaft broker with TLS, SASL and ACLs on loopback, for the tests of a secured cluster: its own
 * certificate authority ({@link TestPki}), SCRAM-SHA-512 users with random passwords, and client settings
 * for each way in. The broker's certificate ({@code User:CN=fanout-broker}) and the SCRAM user
 * {@code admin} are super users; everyone else needs ACLs.
 *
 * <pre>{@code
 * try (SecuredKafkaBroker kafka = SecuredKafkaBroker.start(dir, List.of("pipeline", "worker"))) {
 *     Map<String, Object> asPipeline = kafka.saslClient("pipeline");   // SASL_SSL as User:pipeline
 *     Map<String, Object> asWorker = kafka.mtlsClient("worker");       // SSL as User:CN=worker
 * }
 * }</pre>
 */
public final class SecuredKafkaBroker implements AutoCloseable {

    public static final String BROKER_CN = "fanout-broker";
    public static final String ADMIN_USER = "admin";

    private final Path dir;
    private final TestPki pki;
    private final Path truststore;
    private final Map<String, Password> users;
    private final Map<String, Path> keystores = new ConcurrentHashMap<>();
    private final EmbeddedKafkaBroker broker;

    private SecuredKafkaBroker(Path dir, TestPki pki, Path truststore, Map<String, Password> users,
            EmbeddedKafkaBroker broker) {
        this.dir = dir;
        this.pki = pki;
        this.truststore = truststore;
        this.users = users;
        this.broker = broker;
    }

    /** Starts a secured broker with its data and certificates under {@code dir}, and SCRAM users {@code users}. */
    public static SecuredKafkaBroker start(Path dir, Collection<String> users) {
        Objects.requireNonNull(dir, "dir");
        TestPki pki = TestPki.create(dir.resolve("pki"), "fanout-test-ca");
        Path truststore = pki.truststore();
        Map<String, Password> passwords = new LinkedHashMap<>();
        passwords.put(ADMIN_USER, randomPassword());
        users.forEach(user -> passwords.put(user, randomPassword()));
        BrokerSecurity security = new BrokerSecurity(pki.keystore(BROKER_CN), truststore, pki.password(),
                TestPki.STORE_TYPE, passwords, "User:CN=" + BROKER_CN + ";User:" + ADMIN_USER);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("kafka")).port(0)
                .security(security).build().start();
        return new SecuredKafkaBroker(dir, pki, truststore, Map.copyOf(passwords), broker);
    }

    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    /** The authority that signed the broker's certificate and signs the clients' ones. */
    public TestPki pki() {
        return pki;
    }

    public Path truststore() {
        return truststore;
    }

    /** The password of a SCRAM user. */
    public Password password(String user) {
        Password password = users.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no SCRAM user " + user + "; users are " + users.keySet());
        }
        return password;
    }

    /** Every secret of this broker: the SCRAM passwords and the password of the key stores. */
    public List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        users.values().forEach(password -> secrets.add(password.value()));
        secrets.add(pki.password().value());
        return secrets;
    }

    /** Client settings for the SASL_SSL listener as SCRAM user {@code user} (principal {@code User:user}). */
    public Map<String, Object> saslClient(String user) {
        return saslClient(user, password(user).value());
    }

    /** As {@link #saslClient(String)}, with the password given (a wrong one, say). */
    public Map<String, Object> saslClient(String user, String password) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        p.put(SaslConfigs.SASL_MECHANISM, BrokerSecurity.SCRAM_MECHANISM);
        p.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"" + user + "\" password=\"" + password + "\";");
        p.putAll(trust());
        return p;
    }

    /**
     * Client settings for the SSL listener with a certificate for {@code CN=commonName} (principal
     * {@code User:CN=commonName}), issued on first use.
     */
    public Map<String, Object> mtlsClient(String commonName) {
        return mtlsClient(keystores.computeIfAbsent(commonName, pki::keystore), pki.password());
    }

    /** As {@link #mtlsClient(String)}, with a key store of one's own (from another authority, say). */
    public Map<String, Object> mtlsClient(Path keystore, Password keystorePassword) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.sslBootstrapServers());
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        p.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, keystore.toString());
        p.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, keystorePassword.value());
        p.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, keystorePassword.value());
        p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, TestPki.STORE_TYPE);
        p.putAll(trust());
        return p;
    }

    /** Settings with every right, for setting up topics and ACLs. */
    public Map<String, Object> adminClient() {
        return broker.adminClientProperties();
    }

    private Map<String, Object> trust() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString());
        p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, pki.password().value());
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, TestPki.STORE_TYPE);
        return p;
    }

    @Override
    public void close() {
        broker.close();
        try {
            TempDirs.deleteRecursively(dir.resolve("kafka"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Password randomPassword() {
        return new Password("pw-" + UUID.randomUUID().toString().replace("-", ""));
    }
}
