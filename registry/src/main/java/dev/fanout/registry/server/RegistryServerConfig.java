package dev.fanout.registry.server;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The embedded registry's settings under Confluent Schema Registry's names, so a registry properties
 * file carries over: {@code kafkastore.*} for its store (every {@code kafkastore.X} but the bootstrap
 * servers and the topic goes to the store's Kafka clients as {@code X}, security included),
 * {@code ssl.*} for HTTPS, and {@code authentication.method=BASIC} for HTTP basic auth.
 */
public final class RegistryServerConfig extends AbstractConfig {

    public static final String KAFKASTORE_PREFIX = "kafkastore.";
    public static final String KAFKASTORE_BOOTSTRAP_SERVERS = "kafkastore.bootstrap.servers";
    public static final String KAFKASTORE_TOPIC = "kafkastore.topic";
    public static final String KAFKASTORE_TOPIC_REPLICATION_FACTOR = "kafkastore.topic.replication.factor";
    public static final String SSL_KEYSTORE_LOCATION = "ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "ssl.key.password";
    public static final String SSL_TRUSTSTORE_LOCATION = "ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "ssl.truststore.type";
    public static final String SSL_CLIENT_AUTHENTICATION = "ssl.client.authentication";
    public static final String AUTHENTICATION_METHOD = "authentication.method";
    public static final String AUTHENTICATION_BASIC_USERS = "authentication.basic.users";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(KAFKASTORE_BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "The Kafka cluster holding the schemas topic.")
            .define(KAFKASTORE_TOPIC, Type.STRING, "_schemas", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "The compacted topic holding the schemas, created if missing.")
            .define(KAFKASTORE_TOPIC_REPLICATION_FACTOR, Type.INT, 1, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Replication factor of the schemas topic when the registry creates it.")
            .define(SSL_KEYSTORE_LOCATION, Type.STRING, null, Importance.HIGH,
                    "The registry's key and certificate: set, the registry serves HTTPS only.")
            .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.HIGH, "Password of the keystore.")
            .define(SSL_KEYSTORE_TYPE, Type.STRING, "JKS", Importance.MEDIUM, "Type of the keystore, such as PKCS12.")
            .define(SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password of the key; unset: the keystore's.")
            .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                    "The authorities whose client certificates the registry accepts.")
            .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM, "Password of the truststore.")
            .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "JKS", Importance.MEDIUM, "Type of the truststore.")
            .define(SSL_CLIENT_AUTHENTICATION, Type.STRING, "NONE",
                    ConfigDef.CaseInsensitiveValidString.in("NONE", "REQUESTED", "REQUIRED"), Importance.MEDIUM,
                    "Whether HTTPS clients must (REQUIRED) or may (REQUESTED) present a certificate.")
            .define(AUTHENTICATION_METHOD, Type.STRING, "NONE", ConfigDef.CaseInsensitiveValidString.in("NONE", "BASIC"),
                    Importance.HIGH, "BASIC: every request needs HTTP basic auth with one of "
                            + AUTHENTICATION_BASIC_USERS + ".")
            .define(AUTHENTICATION_BASIC_USERS, Type.PASSWORD, "", Importance.HIGH,
                    "The users of basic auth, as comma-separated user:password pairs.");

    public RegistryServerConfig(Map<String, ?> originals) {
        super(DEFINITION, originals, false);
        if (basicAuthUsers().isEmpty() && getString(AUTHENTICATION_METHOD).equalsIgnoreCase("BASIC")) {
            throw new ConfigException(AUTHENTICATION_METHOD + " is BASIC but " + AUTHENTICATION_BASIC_USERS
                    + " names no user: set it to user:password pairs, such as fanout:secret");
        }
        if (getString(SSL_KEYSTORE_LOCATION) != null && getPassword(SSL_KEYSTORE_PASSWORD) == null) {
            throw new ConfigException(SSL_KEYSTORE_LOCATION + " is set but " + SSL_KEYSTORE_PASSWORD
                    + " is not: give the keystore's password");
        }
    }

    public static ConfigDef configDef() {
        return new ConfigDef(DEFINITION);
    }

    String bootstrapServers() {
        return getString(KAFKASTORE_BOOTSTRAP_SERVERS);
    }

    String topic() {
        return getString(KAFKASTORE_TOPIC);
    }

    int replicationFactor() {
        return getInt(KAFKASTORE_TOPIC_REPLICATION_FACTOR);
    }

    /** Every {@code kafkastore.X} setting but those above, as the Kafka client setting {@code X}. */
    Map<String, Object> storeClientProperties() {
        Map<String, Object> client = new HashMap<>();
        originals().forEach((key, value) -> {
            if (key.startsWith(KAFKASTORE_PREFIX) && !DEFINITION.names().contains(key)) {
                client.put(key.substring(KAFKASTORE_PREFIX.length()), value);
            }
        });
        return client;
    }

    Optional<RegistryTls> tls() {
        String keystore = getString(SSL_KEYSTORE_LOCATION);
        if (keystore == null || keystore.isBlank()) {
            return Optional.empty();
        }
        String truststore = getString(SSL_TRUSTSTORE_LOCATION);
        Optional<RegistryTls.TrustStore> trust = truststore == null || truststore.isBlank() ? Optional.empty()
                : Optional.of(new RegistryTls.TrustStore(Path.of(truststore),
                        Optional.ofNullable(getPassword(SSL_TRUSTSTORE_PASSWORD)).orElse(new Password("")),
                        getString(SSL_TRUSTSTORE_TYPE)));
        try {
            return Optional.of(new RegistryTls(Path.of(keystore), getPassword(SSL_KEYSTORE_PASSWORD),
                    Optional.ofNullable(getPassword(SSL_KEY_PASSWORD)), getString(SSL_KEYSTORE_TYPE), trust,
                    RegistryTls.ClientAuthentication.valueOf(getString(SSL_CLIENT_AUTHENTICATION).toUpperCase(Locale.ROOT))));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** User name to password; empty unless {@code authentication.method} is BASIC. */
    Map<String, Password> basicAuthUsers() {
        Map<String, Password> users = new LinkedHashMap<>();
        if (!getString(AUTHENTICATION_METHOD).equalsIgnoreCase("BASIC")) {
            return users;
        }
        for (String pair : getPassword(AUTHENTICATION_BASIC_USERS).value().split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                // never the pair itself: it may be a password
                throw new ConfigException(AUTHENTICATION_BASIC_USERS + " holds an entry that is not user:password; "
                        + "write comma-separated user:password pairs");
            }
            users.put(pair.substring(0, colon).strip(), new Password(pair.substring(colon + 1)));
        }
        return users;
    }
}
