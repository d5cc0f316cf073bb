package dev.fanout.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.types.Password;

/**
 * What makes an {@link EmbeddedKafkaBroker} a secured one: a {@code SASL_SSL} listener that authenticates
 * SCRAM-SHA-512 users, an {@code SSL} listener that requires client certificates (mutual TLS), and
 * Kafka's {@code StandardAuthorizer}, so that every client needs ACLs for what it does.
 *
 * <p>The broker presents {@code keystore} on every listener and trusts the certificates {@code truststore}
 * vouches for. It talks to its own controller over mutual TLS with that same keystore, so the distinguished
 * name of the keystore's certificate (such as {@code CN=fanout-broker}) must be named in
 * {@code superUsers}. SCRAM users are written when the data directory is formatted, as
 * {@code kafka-storage format --add-scram} does; more can be added later with the admin API.
 *
 * @param keystore      the broker's key and certificate (PKCS12 unless {@code storeType} says otherwise)
 * @param truststore    the certificate authorities whose client certificates the broker accepts
 * @param storePassword password of both stores (and of the key)
 * @param storeType     type of both stores, such as {@code PKCS12}
 * @param scramUsers    SCRAM-SHA-512 user name to password; names and passwords of letters, digits, '-', '_', '.'
 * @param superUsers    principals allowed everything, such as {@code User:admin;User:CN=fanout-broker}
 */
public record BrokerSecurity(Path keystore, Path truststore, Password storePassword, String storeType,
                             Map<String, Password> scramUsers, String superUsers) {

    /** The SCRAM mechanism of the SASL_SSL listener. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]+");

    public BrokerSecurity {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(storePassword, "storePassword");
        Objects.requireNonNull(storeType, "storeType");
        scramUsers = Map.copyOf(Objects.requireNonNull(scramUsers, "scramUsers"));
        Objects.requireNonNull(superUsers, "superUsers");
        scramUsers.forEach((user, password) -> {
            if (!PLAIN.matcher(user).matches() || !PLAIN.matcher(password.value()).matches()) {
                throw new IllegalArgumentException("SCRAM user '" + user + "': use only letters, digits, '.', '_' "
                        + "and '-' in names and passwords of users created at format time");
            }
        });
    }

    /** The {@code --add-scram} arguments of {@code kafka-storage format}, one per user. */
    List<String> scramArguments() {
        return scramUsers.entrySet().stream()
                .map(user -> SCRAM_MECHANISM + "=[name=" + user.getKey() + ",password=" + user.getValue().value() + "]")
                .toList();
    }

    /** The broker properties of the three listeners, TLS and the authorizer. */
    Map<String, String> brokerProperties(String host, int saslSslPort, int sslPort, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listeners", "SASL_SSL://" + host + ":" + saslSslPort + ",SSL://" + host + ":" + sslPort
                + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "SASL_SSL://" + host + ":" + saslSslPort + ",SSL://" + host + ":" + sslPort);
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,SSL:SSL,CONTROLLER:SSL");
        p.put("inter.broker.listener.name", "SSL");
        p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
        p.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", SCRAM_MECHANISM);
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("ssl.keystore.location", keystore.toString());
        p.put("ssl.keystore.password", storePassword.value());
        p.put("ssl.key.password", storePassword.value());
        p.put("ssl.keystore.type", storeType);
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.password", storePassword.value());
        p.put("ssl.truststore.type", storeType);
        p.put("listener.name.ssl.ssl.client.auth", "required");
        p.put("listener.name.controller.ssl.client.auth", "required");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", superUsers);
        return p;
    }

    /** Client properties that log in with the broker's own certificate, a super user, on the SSL listener. */
    Map<String, Object> superUserClientProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("security.protocol", "SSL");
        p.put("ssl.keystore.location", keystore.toString());
        p.put("ssl.keystore.password", storePassword.value());
        p.put("ssl.key.password", storePassword.value());
        p.put("ssl.keystore.type", storeType);
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.password", storePassword.value());
        p.put("ssl.truststore.type", storeType);
        return p;
    }

    /** Never the passwords: records end up in log lines and assertion messages. */
    @Override
    public String toString() {
        return "BrokerSecurity[keystore=" + keystore + ", truststore=" + truststore + ", scramUsers="
                + scramUsers.keySet() + ", superUsers=" + superUsers + "]";
    }
}
