package dev.fanout.serde;

import dev.fanout.registry.client.CachingSchemaRegistryClient;
import dev.fanout.registry.client.RegistryClientSettings;
import dev.fanout.registry.client.RestSchemaRegistryClient;
import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.registry.client.TlsSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;

/**
 * Every setting of the Avro serde and of the registry client it builds, in one place. Keys that
 * Confluent's serializers know have Confluent's names, so one configuration map serves both; the
 * {@code schema.registry.*} timeouts, retries and cache capacity are Fanout's own.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String NORMALIZE_SCHEMAS = "normalize.schemas";
    public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";
    public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String RETRIES = "schema.registry.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";
    public static final String CACHE_CAPACITY = "schema.registry.cache.capacity";

    /** Values of {@link #BASIC_AUTH_CREDENTIALS_SOURCE}. */
    public static final String CREDENTIALS_FROM_URL = "URL";
    public static final String CREDENTIALS_FROM_USER_INFO = "USER_INFO";
    /** The SASL username and password of the Kafka clients' {@code sasl.jaas.config}, as in Confluent's clients. */
    public static final String CREDENTIALS_FROM_SASL_INHERIT = "SASL_INHERIT";
    /** Value of {@link #BEARER_AUTH_CREDENTIALS_SOURCE}: the token is {@link #BEARER_AUTH_TOKEN}. */
    public static final String BEARER_FROM_STATIC_TOKEN = "STATIC_TOKEN";

    private static final String URL_EXAMPLE = "http://localhost:8081";
    private static final ConfigDef CONFIG = define();

    /**
     * @throws ConfigException naming the key, the value and the fix when a setting is missing or invalid
     */
    public AvroSerdeConfig(Map<String, ?> configs) {
        super(CONFIG, requireRegistryUrl(configs), false);
        if (CREDENTIALS_FROM_USER_INFO.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))
                && getPassword(BASIC_AUTH_USER_INFO).value().isEmpty()) {
            throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE + " is " + CREDENTIALS_FROM_USER_INFO
                    + " but " + BASIC_AUTH_USER_INFO + " is empty: set " + BASIC_AUTH_USER_INFO
                    + " to user:password, or set " + BASIC_AUTH_CREDENTIALS_SOURCE + " to " + CREDENTIALS_FROM_URL
                    + " and put the credentials in the URL");
        }
        if (bearerAuth() && getPassword(BEARER_AUTH_TOKEN).value().isEmpty()) {
            throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE + " is " + BEARER_FROM_STATIC_TOKEN + " but "
                    + BEARER_AUTH_TOKEN + " is empty: set " + BEARER_AUTH_TOKEN + " to the token the registry expects");
        }
        if (bearerAuth() && !CREDENTIALS_FROM_URL.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))) {
            throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE + " and " + BASIC_AUTH_CREDENTIALS_SOURCE + "="
                    + getString(BASIC_AUTH_CREDENTIALS_SOURCE) + " are both set: a registry takes one kind of "
                    + "credentials; remove one of them");
        }
        if (CREDENTIALS_FROM_SASL_INHERIT.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))) {
            saslCredentials();
        }
    }

    /** A copy of the definition, for generating or checking documentation. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** A caching registry client for the settings in {@code configs}, for code other than the serdes. */
    public static SchemaRegistryClient createRegistryClient(Map<String, ?> configs) {
        return new AvroSerdeConfig(configs).createRegistryClient();
    }

    /** A REST client for these settings behind a cache, as the serdes use it. */
    public SchemaRegistryClient createRegistryClient() {
        return new CachingSchemaRegistryClient(new RestSchemaRegistryClient(registryClientSettings()),
                getInt(CACHE_CAPACITY), latestCacheTtl());
    }

    public RegistryClientSettings registryClientSettings() {
        RegistryClientSettings.Builder builder = RegistryClientSettings.builder(schemaRegistryUrls())
                .connectTimeout(Duration.ofMillis(getInt(CONNECT_TIMEOUT_MS)))
                .requestTimeout(Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS)))
                .maxRetries(getInt(RETRIES))
                .retryBackoff(Duration.ofMillis(getLong(RETRY_BACKOFF_MS)), Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS)));
        if (CREDENTIALS_FROM_USER_INFO.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))) {
            builder.userInfo(getPassword(BASIC_AUTH_USER_INFO).value());
        } else if (CREDENTIALS_FROM_SASL_INHERIT.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))) {
            builder.userInfo(saslCredentials());
        }
        if (bearerAuth()) {
            builder.bearerToken(getPassword(BEARER_AUTH_TOKEN).value());
        }
        TlsSettings tls = tlsSettings();
        if (!tls.isEmpty()) {
            try {
                builder.sslContext(tls.createSslContext());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("Schema Registry TLS: " + e.getMessage() + " (settings "
                        + SSL_TRUSTSTORE_LOCATION + ", " + SSL_KEYSTORE_LOCATION + " and their password and type)");
            }
        }
        return builder.build();
    }

    private boolean bearerAuth() {
        return getString(BEARER_AUTH_CREDENTIALS_SOURCE) != null;
    }

    /** {@code user:password} from the login module options of the Kafka clients' {@code sasl.jaas.config}. */
    private String saslCredentials() {
        Object jaas = originals().get(SaslConfigs.SASL_JAAS_CONFIG);
        String problem;
        if (jaas == null || jaas.toString().isBlank()) {
            problem = SaslConfigs.SASL_JAAS_CONFIG + " is not set";
        } else {
            try {
                Password config = jaas instanceof Password password ? password : new Password(jaas.toString());
                Map<String, ?> options = JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG, config))
                        .configurationEntries().get(0).getOptions();
                Object user = options.get("username");
                Object password = options.get("password");
                if (user != null && password != null) {
                    return user + ":" + password;
                }
                problem = SaslConfigs.SASL_JAAS_CONFIG + " has no username and password options";
            } catch (IllegalArgumentException e) {
                problem = SaslConfigs.SASL_JAAS_CONFIG + " cannot be read: " + e.getMessage();
            }
        }
        throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE + " is " + CREDENTIALS_FROM_SASL_INHERIT + " but "
                + problem + ": give the Kafka clients' SASL PLAIN or SCRAM login (username=\"...\" password=\"...\"), "
                + "or set " + BASIC_AUTH_CREDENTIALS_SOURCE + " to " + CREDENTIALS_FROM_USER_INFO + " with "
                + BASIC_AUTH_USER_INFO);
    }

    public List<URI> schemaRegistryUrls() {
        return getList(SCHEMA_REGISTRY_URL).stream().map(URI::create).toList();
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION);
    }

    public boolean normalizeSchemas() {
        return getBoolean(NORMALIZE_SCHEMAS);
    }

    /** How long a subject's latest version is reused; {@link CachingSchemaRegistryClient#NEVER_EXPIRE} for -1. */
    public Duration latestCacheTtl() {
        long seconds = getLong(LATEST_CACHE_TTL_SEC);
        return seconds < 0 ? CachingSchemaRegistryClient.NEVER_EXPIRE : Duration.ofSeconds(seconds);
    }

    /** The generated class to deserialize keys or values into, when configured. */
    public Optional<Class<?>> specificAvroType(boolean isKey) {
        return Optional.ofNullable(getClass(isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE));
    }

    private TlsSettings tlsSettings() {
        return new TlsSettings(
                keyStoreFile(SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_PASSWORD, SSL_TRUSTSTORE_TYPE),
                keyStoreFile(SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD, SSL_KEYSTORE_TYPE),
                password(SSL_KEY_PASSWORD));
    }

    private Optional<TlsSettings.KeyStoreFile> keyStoreFile(String locationKey, String passwordKey, String typeKey) {
        return Optional.ofNullable(getString(locationKey))
                .filter(location -> !location.isBlank())
                .map(location -> new TlsSettings.KeyStoreFile(Path.of(location), password(passwordKey), getString(typeKey)));
    }

    private Optional<String> password(String key) {
        return Optional.ofNullable(getPassword(key)).map(Password::value);
    }

    /**
     * Kafka's own message for a missing required key says neither what the value should look like nor
     * where it comes from; this one does.
     */
    private static Map<String, ?> requireRegistryUrl(Map<String, ?> configs) {
        Objects.requireNonNull(configs, "configs");
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL + " is not set: set it to the base URL of a "
                    + "Confluent-compatible Schema Registry, such as " + URL_EXAMPLE
                    + " (several URLs may be given, comma-separated)");
        }
        return configs;
    }

    private static ConfigDef define() {
        String auth = "Schema Registry authentication";
        String tls = "Schema Registry TLS";
        return new ConfigDef()
                .define(SCHEMA_REGISTRY_URL, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, new RegistryUrlValidator(),
                        Importance.HIGH, "Comma-separated base URLs of the Schema Registry, such as "
                                + URL_EXAMPLE + ". When a URL refuses connections the next one is tried. "
                                + "A URL may carry credentials, http://user:password@host:8081, used when "
                                + BASIC_AUTH_CREDENTIALS_SOURCE + " is " + CREDENTIALS_FROM_URL + ".")
                .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                        "Whether the serializer registers the record's schema under the subject. When false, "
                                + "the schema must already be registered and the serializer looks its id up.")
                .define(USE_LATEST_VERSION, Type.BOOLEAN, false, Importance.MEDIUM,
                        "Whether the serializer writes with the subject's latest registered schema instead of "
                                + "the record's own; the latest must be able to read the record's schema. As in "
                                + "Confluent's serializer, it applies only when " + AUTO_REGISTER_SCHEMAS + " is false.")
                .define(NORMALIZE_SCHEMAS, Type.BOOLEAN, false, Importance.LOW,
                        "Whether the registry normalizes schemas when the serializer registers or looks them up, "
                                + "so that equivalent schema texts share one id.")
                .define(LATEST_CACHE_TTL_SEC, Type.LONG, -1L, ConfigDef.Range.atLeast(-1), Importance.LOW,
                        "How many seconds the serializer reuses a subject's latest version when "
                                + USE_LATEST_VERSION + " is true; -1 keeps it for the life of the serializer, "
                                + "0 asks the registry for every record.")
                .define(SPECIFIC_AVRO_KEY_TYPE, Type.CLASS, null, new SpecificRecordClassValidator(),
                        Importance.LOW, "Generated Avro class the key deserializer returns, when the "
                                + "deserializer was not given one. Unset: the class named by the writer schema.")
                .define(SPECIFIC_AVRO_VALUE_TYPE, Type.CLASS, null, new SpecificRecordClassValidator(),
                        Importance.LOW, "Generated Avro class the value deserializer returns, when the "
                                + "deserializer was not given one. Unset: the class named by the writer schema.")
                .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, CREDENTIALS_FROM_URL,
                        ConfigDef.ValidString.in(CREDENTIALS_FROM_URL, CREDENTIALS_FROM_USER_INFO,
                                CREDENTIALS_FROM_SASL_INHERIT),
                        Importance.MEDIUM, "Where the HTTP basic auth credentials come from: " + CREDENTIALS_FROM_URL
                                + " takes them from the user info of each " + SCHEMA_REGISTRY_URL + " (none if "
                                + "absent); " + CREDENTIALS_FROM_USER_INFO + " takes them from "
                                + BASIC_AUTH_USER_INFO + "; " + CREDENTIALS_FROM_SASL_INHERIT + " takes the username "
                                + "and password of the Kafka clients' sasl.jaas.config (SASL PLAIN or SCRAM).",
                        auth, 1, ConfigDef.Width.SHORT, "Credentials source")
                .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, "", Importance.MEDIUM,
                        "Credentials as user:password, used when " + BASIC_AUTH_CREDENTIALS_SOURCE + " is "
                                + CREDENTIALS_FROM_USER_INFO + ".", auth, 2, ConfigDef.Width.MEDIUM, "User info")
                .define(BEARER_AUTH_CREDENTIALS_SOURCE, Type.STRING, null,
                        new BearerSourceValidator(), Importance.MEDIUM,
                        "Set to " + BEARER_FROM_STATIC_TOKEN + " to send " + BEARER_AUTH_TOKEN + " as "
                                + "'Authorization: Bearer <token>' on every registry request, instead of basic auth. "
                                + "Unset: no bearer token.", auth, 3, ConfigDef.Width.SHORT, "Bearer credentials source")
                .define(BEARER_AUTH_TOKEN, Type.PASSWORD, "", Importance.MEDIUM,
                        "The bearer token, used when " + BEARER_AUTH_CREDENTIALS_SOURCE + " is "
                                + BEARER_FROM_STATIC_TOKEN + ".", auth, 4, ConfigDef.Width.MEDIUM, "Bearer token")
                .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                        "Truststore holding the certificates to trust for https registry URLs. Unset: the "
                                + "JVM's default trust.", tls, 1, ConfigDef.Width.LONG, "Truststore")
                .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                        "Password of the truststore.", tls, 2, ConfigDef.Width.MEDIUM, "Truststore password")
                .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "JKS", Importance.LOW,
                        "Type of the truststore, such as JKS or PKCS12.", tls, 3, ConfigDef.Width.SHORT,
                        "Truststore type")
                .define(SSL_KEYSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                        "Keystore holding the client key and certificate, for registries that require client "
                                + "certificates. Unset: no client certificate.", tls, 4, ConfigDef.Width.LONG, "Keystore")
                .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                        "Password of the keystore.", tls, 5, ConfigDef.Width.MEDIUM, "Keystore password")
                .define(SSL_KEYSTORE_TYPE, Type.STRING, "JKS", Importance.LOW,
                        "Type of the keystore, such as JKS or PKCS12.", tls, 6, ConfigDef.Width.SHORT, "Keystore type")
                .define(SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                        "Password of the key in the keystore. Unset: the keystore's password.", tls, 7,
                        ConfigDef.Width.MEDIUM, "Key password")
                .define(CONNECT_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Milliseconds to wait for a connection to a registry URL before trying the next.")
                .define(REQUEST_TIMEOUT_MS, Type.INT, 30_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Milliseconds to wait for the registry's whole answer to one request.")
                .define(RETRIES, Type.INT, 3, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "How many times a registry request is repeated after a connection failure, a timeout or "
                                + "an HTTP 5xx answer. Client errors (4xx) are never retried.")
                .define(RETRY_BACKOFF_MS, Type.LONG, 100L, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "Milliseconds before the first retry; each further retry waits twice as long, give or "
                                + "take 20%, up to " + RETRY_BACKOFF_MAX_MS + ".")
                .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 5_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "The longest wait in milliseconds between two retries.")
                .define(CACHE_CAPACITY, Type.INT, 1000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "How many schemas, ids and lookups the registry client remembers, each; beyond it the "
                                + "least recently used is forgotten.");
    }

    /** Each entry must be an absolute http(s) URL with a host. */
    private static final class RegistryUrlValidator implements ConfigDef.Validator {

        @Override
        public void ensureValid(String name, Object value) {
            List<?> urls = (List<?>) value;
            if (urls == null || urls.isEmpty()) {
                throw new ConfigException(name + " lists no URL: set it to the base URL of a Confluent-compatible "
                        + "Schema Registry, such as " + URL_EXAMPLE);
            }
            for (Object url : urls) {
                String problem = problemWith(url.toString());
                if (problem != null) {
                    throw new ConfigException(name, redact(url.toString()), problem
                            + "; expected comma-separated http or https URLs such as " + URL_EXAMPLE);
                }
            }
        }

        private static String problemWith(String url) {
            if (url.isBlank()) {
                return "an entry is empty (a stray comma?)";
            }
            try {
                URI uri = new URI(url);
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                    return "the URL does not start with http:// or https://";
                }
                if (uri.getHost() == null) {
                    return "the URL has no host";
                }
                return null;
            } catch (URISyntaxException e) {
                return "not a URL (" + e.getReason() + ")";
            }
        }

        /** Error messages end up in logs; credentials in a URL must not. */
        private static String redact(String url) {
            return url.replaceFirst("//[^/@]*@", "//***@");
        }

        @Override
        public String toString() {
            return "comma-separated http(s) URLs";
        }
    }

    /** Unset, or the one source Fanout's client supports. */
    private static final class BearerSourceValidator implements ConfigDef.Validator {

        @Override
        public void ensureValid(String name, Object value) {
            if (value != null && !BEARER_FROM_STATIC_TOKEN.equals(value)) {
                throw new ConfigException(name, value, "the only source is " + BEARER_FROM_STATIC_TOKEN + " (the token in "
                        + BEARER_AUTH_TOKEN + "); leave it unset for no bearer token");
            }
        }

        @Override
        public String toString() {
            return "[" + BEARER_FROM_STATIC_TOKEN + "] or unset";
        }
    }

    private static final class SpecificRecordClassValidator implements ConfigDef.Validator {

        @Override
        public void ensureValid(String name, Object value) {
            if (value != null && !SpecificRecord.class.isAssignableFrom((Class<?>) value)) {
                throw new ConfigException(name, ((Class<?>) value).getName(),
                        "not a generated Avro class (it does not implement SpecificRecord); name a class "
                                + "generated from an .avsc, such as dev.fanout.avro.Trigger");
            }
        }

        @Override
        public String toString() {
            return "a generated Avro SpecificRecord class";
        }
    }
}
