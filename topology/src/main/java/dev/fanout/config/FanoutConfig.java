package dev.fanout.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Fanout's own settings, declared once. Anything not listed here is passed through to the Kafka clients
 * (and the Schema Registry serde) unchanged. {@code docs/configuration.md} is checked against this
 * definition by a test.
 */
public final class FanoutConfig extends AbstractConfig {

    public static final String TOPIC_PREFIX = "fanout.topic.prefix";
    public static final String TOPIC_PARTITIONS = "fanout.topic.partitions";
    public static final String TOPIC_REPLICATION_FACTOR = "fanout.topic.replication.factor";
    public static final String MAX_DEPTH = "fanout.max.depth";
    public static final String MAX_WIDTH = "fanout.max.width";
    public static final String PLAN_CHILDREN_PER_STEP = "fanout.plan.children.per.step";
    public static final String DEDUPE_RETENTION_MS = "fanout.dedupe.retention.ms";
    public static final String CEL_CACHE_SIZE = "fanout.cel.cache.size";
    public static final String RESULTS_MAX = "fanout.results.max";
    public static final String FAILURES_MAX = "fanout.failures.max";
    public static final String TIMERS_INTERVAL_MS = "fanout.timers.interval.ms";
    public static final String PROGRESS_INTERVAL_MS = "fanout.progress.interval.ms";
    public static final String ROCKSDB_MEMORY_BYTES = "fanout.rocksdb.memory.bytes";
    public static final String TREE_RETENTION_MS = "fanout.tree.retention.ms";
    public static final String TREE_CLEANUP_BATCH = "fanout.tree.cleanup.batch";
    public static final String HTTP_HOST = "fanout.http.host";
    public static final String HTTP_PORT = "fanout.http.port";
    public static final String HTTP_SSL_KEYSTORE_LOCATION = "fanout.http.ssl.keystore.location";
    public static final String HTTP_SSL_KEYSTORE_PASSWORD = "fanout.http.ssl.keystore.password";
    public static final String HTTP_SSL_KEYSTORE_TYPE = "fanout.http.ssl.keystore.type";
    public static final String HTTP_SSL_TRUSTSTORE_LOCATION = "fanout.http.ssl.truststore.location";
    public static final String HTTP_SSL_TRUSTSTORE_PASSWORD = "fanout.http.ssl.truststore.password";
    public static final String HTTP_SSL_TRUSTSTORE_TYPE = "fanout.http.ssl.truststore.type";
    public static final String HTTP_AUTH_TOKEN = "fanout.http.auth.token";
    /** Kafka Streams' own keys, declared here for their Fanout defaults; passed through to Streams. */
    public static final String APPLICATION_ID = StreamsConfig.APPLICATION_ID_CONFIG;
    public static final String PROCESSING_GUARANTEE = StreamsConfig.PROCESSING_GUARANTEE_CONFIG;

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(TOPIC_PREFIX, Type.STRING, "fanout.", new TopicPrefixValidator(), Importance.HIGH,
                    "Prefix of every topic name of the contract: 'fanout.' gives 'fanout.artifact-events'. "
                            + "Use it to run several Fanout installations on one cluster.")
            .define(TOPIC_PARTITIONS, Type.INT, 3, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Partitions of each topic created by 'fanout topics create' and 'fanout dev'. "
                            + "Events and subscriptions must have the same count (they are co-partitioned).")
            .define(TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) -1, new ReplicationValidator(), Importance.MEDIUM,
                    "Replication factor of created topics; -1 takes the broker's default.")
            .define(MAX_DEPTH, Type.INT, 16, ConfigDef.Range.between(1, 1000), Importance.MEDIUM,
                    "Deepest nesting of runs: children of a root event have depth 1. A child deeper than this "
                            + "is not triggered and is recorded as skipped with reason 'depth'.")
            .define(MAX_WIDTH, Type.INT, 100_000, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Most children one event may fan out to (foreach elements count one each). A wider "
                            + "fan-out is refused as a whole and the event goes to the dead letters.")
            .define(PLAN_CHILDREN_PER_STEP, Type.INT, 10_000, ConfigDef.Range.between(1, 1_000_000), Importance.LOW,
                    "Most children the matcher plans for one event in one step (one process call or punctuation, so within one transaction). A wider plan continues in later steps from a cursor kept in the stores matcher.plan-cursors (the event, written once) and matcher.plan-positions (where the next step starts), so every width fits Kafka Streams' default transaction timeout. The matcher holds one step's children, and the foreach list being planned, parsed, until its plan ends.")
            .define(DEDUPE_RETENTION_MS, Type.LONG, 7L * 24 * 60 * 60 * 1000, ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM, "How long an event id is remembered, in wall-clock milliseconds, so that "
                            + "the same event sent twice yields no second trigger.")
            .define(CEL_CACHE_SIZE, Type.INT, 100_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "How many compiled subscriptions (CEL programs and version ranges) each instance keeps; "
                            + "beyond it the least recently used is compiled again on its next event.")
            .define(RESULTS_MAX, Type.INT, 1_000, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Most child results one FanOutDone carries, in item-index then subscription-id order; "
                            + "beyond it, or beyond the record budget, the rest are left out, results_truncated is true "
                            + "and results_omitted counts them. Counts are always exact.")
            .define(FAILURES_MAX, Type.INT, 10, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "How many of the first failures a FanOutDone or TreeDone lists.")
            .define(TIMERS_INTERVAL_MS, Type.LONG, 200L, ConfigDef.Range.between(10, 60_000), Importance.LOW,
                    "How often, in wall-clock milliseconds, due timers (retry backoff, run and fan-out "
                            + "timeouts) are looked for: a timer fires at most this late. Also the longest a run's "
                            + "move to RUNNING waits to be written between commits (under at-least-once, where Kafka "
                            + "Streams commits every 30 s by default).")
            .define(PROGRESS_INTERVAL_MS, Type.LONG, 1_000L, ConfigDef.Range.between(10, 3_600_000), Importance.LOW,
                    "Least time, in wall-clock milliseconds, between two TreeProgress records of one tree; "
                            + "a tree's completion is always sent at once.")
            .define(ROCKSDB_MEMORY_BYTES, Type.LONG, 256L * 1024 * 1024, ConfigDef.Range.atLeast(16L * 1024 * 1024),
                    Importance.MEDIUM, "Memory, in bytes, that all RocksDB state stores of one instance share: one "
                            + "block cache, half of which the memtables may take. Unused when rocksdb.config.setter "
                            + "is set to another class.")
            .define(TREE_RETENTION_MS, Type.LONG, 24L * 60 * 60 * 1000, ConfigDef.Range.between(0L, 365L * 24 * 60 * 60 * 1000),
                    Importance.MEDIUM, "How long, in wall-clock milliseconds, a done tree stays queryable after its "
                            + "TreeDone; then its runs, fan-outs and tree entries are removed from the stores. "
                            + "TreeDone on its topic is the lasting record; late reports on a removed tree are ignored.")
            .define(TREE_CLEANUP_BATCH, Type.INT, 1_000, ConfigDef.Range.between(1, 1_000_000), Importance.LOW,
                    "Most store entries removed per timer punctuation (every fanout.timers.interval.ms) when "
                            + "trees past their retention are removed; a larger tree goes on at the next one.")
            .define(HTTP_HOST, Type.STRING, "localhost", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Address the query API (HTTP) listens on; 0.0.0.0 for every interface. Also the host of "
                            + "application.server when that is not set.")
            .define(HTTP_PORT, Type.INT, 8080, ConfigDef.Range.between(-1, 65_535), Importance.MEDIUM,
                    "Port of the query API (/api/trees, /metrics, /healthz, the web page): 0 picks a free port, "
                            + "-1 turns the server off. Two instances on one machine need different ports.")
            .define(HTTP_SSL_KEYSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                    "Key store (key and certificate) of the query API: set, the API and the page are served over "
                            + "HTTPS only, and instances forward reads to each other over HTTPS. Unset: plain HTTP.")
            .define(HTTP_SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password of the query API's key store and of its key.")
            .define(HTTP_SSL_KEYSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW,
                    "Type of the query API's key store, such as PKCS12 or JKS.")
            .define(HTTP_SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.LOW,
                    "Truststore with which an instance trusts the others' certificates when it forwards a read. "
                            + "Unset: the JVM's default trust.")
            .define(HTTP_SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                    "Password of the query API's truststore.")
            .define(HTTP_SSL_TRUSTSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW,
                    "Type of the query API's truststore.")
            .define(HTTP_AUTH_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
                    "Bearer token that every query API request other than GET and HEAD must carry "
                            + "(Authorization: Bearer <token>); a request without it is answered 401. Reading stays "
                            + "open. Unset: no token is asked for.")
            .define(APPLICATION_ID, Type.STRING, "fanout", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Kafka Streams application id: the consumer group, and the prefix of internal topics "
                            + "and state directories. Instances with the same id share the work.")
            .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                    ConfigDef.ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
                    Importance.MEDIUM, "exactly_once_v2 (default) commits triggers, state and consumed offsets "
                            + "atomically; at_least_once may trigger a run twice after a crash, and measured no "
                            + "faster (1.00x in the guarantee benchmark).");

    public FanoutConfig(Map<?, ?> originals) {
        super(DEFINITION, originals, false);
    }

    public static ConfigDef configDef() {
        return new ConfigDef(DEFINITION);
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    public int topicPartitions() {
        return getInt(TOPIC_PARTITIONS);
    }

    public short topicReplicationFactor() {
        return getShort(TOPIC_REPLICATION_FACTOR);
    }

    public int maxDepth() {
        return getInt(MAX_DEPTH);
    }

    public int maxWidth() {
        return getInt(MAX_WIDTH);
    }

    public int planChildrenPerStep() {
        return getInt(PLAN_CHILDREN_PER_STEP);
    }

    public Duration dedupeRetention() {
        return Duration.ofMillis(getLong(DEDUPE_RETENTION_MS));
    }

    public int celCacheSize() {
        return getInt(CEL_CACHE_SIZE);
    }

    public int resultsMax() {
        return getInt(RESULTS_MAX);
    }

    public int failuresMax() {
        return getInt(FAILURES_MAX);
    }

    public Duration timersInterval() {
        return Duration.ofMillis(getLong(TIMERS_INTERVAL_MS));
    }

    public Duration progressInterval() {
        return Duration.ofMillis(getLong(PROGRESS_INTERVAL_MS));
    }

    public long rocksDbMemoryBytes() {
        return getLong(ROCKSDB_MEMORY_BYTES);
    }

    /** The byte budget of one record the topology writes, from the producer's and the topics' limits. */
    public RecordBudget recordBudget() {
        return RecordBudget.from(originals());
    }

    public Duration treeRetention() {
        return Duration.ofMillis(getLong(TREE_RETENTION_MS));
    }

    public int treeCleanupBatch() {
        return getInt(TREE_CLEANUP_BATCH);
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public Optional<Path> httpKeystoreLocation() {
        return Optional.ofNullable(getString(HTTP_SSL_KEYSTORE_LOCATION)).filter(s -> !s.isBlank()).map(Path::of);
    }

    public Password httpKeystorePassword() {
        Password password = getPassword(HTTP_SSL_KEYSTORE_PASSWORD);
        if (password == null) {
            throw new ConfigException(HTTP_SSL_KEYSTORE_LOCATION + " is set but " + HTTP_SSL_KEYSTORE_PASSWORD
                    + " is not: give the key store's password");
        }
        return password;
    }

    public String httpKeystoreType() {
        return getString(HTTP_SSL_KEYSTORE_TYPE);
    }

    public Optional<Path> httpTruststoreLocation() {
        return Optional.ofNullable(getString(HTTP_SSL_TRUSTSTORE_LOCATION)).filter(s -> !s.isBlank()).map(Path::of);
    }

    public Password httpTruststorePassword() {
        return Optional.ofNullable(getPassword(HTTP_SSL_TRUSTSTORE_PASSWORD)).orElse(new Password(""));
    }

    public String httpTruststoreType() {
        return getString(HTTP_SSL_TRUSTSTORE_TYPE);
    }

    /** The bearer token of the query API's changing requests, if one is set. */
    public Optional<Password> httpAuthToken() {
        return Optional.ofNullable(getPassword(HTTP_AUTH_TOKEN)).filter(token -> !token.value().isEmpty());
    }

    public String applicationId() {
        return getString(APPLICATION_ID);
    }

    public String processingGuarantee() {
        return getString(PROCESSING_GUARANTEE);
    }

    private static final class TopicPrefixValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String prefix = (String) value;
            if (prefix == null || !prefix.matches("[a-zA-Z0-9._-]*")) {
                throw new ConfigException(name, value,
                        "a topic prefix may use only letters, digits, '.', '_' and '-', such as 'acme.fanout.'");
            }
            if (prefix.length() > 200) {
                throw new ConfigException(name, value, "keep the prefix under 200 characters (topic names max 249)");
            }
        }

        @Override
        public String toString() {
            return "[a-zA-Z0-9._-]*";
        }
    }

    private static final class ReplicationValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            short rf = (Short) value;
            if (rf < 1 && rf != -1) {
                throw new ConfigException(name, value, "use 1 or more, or -1 for the broker's default");
            }
        }

        @Override
        public String toString() {
            return "-1 or at least 1";
        }
    }
}
