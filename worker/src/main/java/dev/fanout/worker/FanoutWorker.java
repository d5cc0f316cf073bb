package dev.fanout.worker;

import dev.fanout.registry.client.SchemaRegistryClient;
import dev.fanout.security.SecurityFailures;
import dev.fanout.serde.AvroSerdeConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * A Fanout worker: consumes the {@code Trigger}s of its repositories, runs the registered handler per
 * workflow on a bounded pool, and reports each attempt's {@code RunStatus} (STARTED, then SUCCEEDED or
 * FAILED). A run whose tree is cancelled is told so ({@link Run#cancelled()}). See docs/workers.md.
 *
 * <pre>{@code
 * try (FanoutWorker worker = FanoutWorker.builder()
 *         .bootstrapServers("localhost:9092").schemaRegistryUrl("http://localhost:8081")
 *         .groupId("app-b-workers").concurrency(8)
 *         .handle("app-b", "deploy", run -> RunResult.succeeded("{\"url\":\"...\"}"))
 *         .build()) {
 *     worker.start();
 *     ...
 * }
 * }</pre>
 */
public final class FanoutWorker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** Cancellations of runs kept in memory, most recent; a run's is looked up when its trigger arrives. */
    static final int CANCELLATIONS_REMEMBERED = 10_000;

    private final WorkerSettings settings;
    private final SchemaRegistryClient registry;
    private final WorkerProducer producer;
    private final FanOutDoneWaiter waiter;
    private final RecentCancellations cancellations = new RecentCancellations(CANCELLATIONS_REMEMBERED);
    private final RunCancellationReader cancellationReader;
    private final TriggerDispatcher dispatcher;
    private final OriginalEvents originals;
    private boolean started;
    private boolean closed;

    private FanoutWorker(WorkerSettings settings) {
        this.settings = settings;
        this.registry = AvroSerdeConfig.createRegistryClient(settings.serdeSettings());
        this.producer = new WorkerProducer(settings.topics(), settings.clientSettings(), settings.serdeSettings(), registry);
        this.waiter = new FanOutDoneWaiter(settings.topics().fanOutDone(), settings.clientSettings(),
                settings.serdeSettings(), registry, settings.name());
        this.cancellationReader = new RunCancellationReader(settings.topics().runCancellations(), settings.repos(),
                cancellations, settings.clientSettings(), settings.serdeSettings(), registry, settings.name());
        this.originals = new OriginalEvents(settings.clientSettings(), settings.serdeSettings(), registry);
        this.dispatcher = new TriggerDispatcher(settings, producer, waiter, cancellations, registry, originals);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks that Fanout's topics exist, starts reading {@code fanout-done} and {@code run-cancellations} and
     * joins the consumer group.
     *
     * @throws IllegalStateException when a topic is missing (create them with {@code fanout topics create})
     *     or the broker cannot be reached
     */
    public synchronized FanoutWorker start() {
        if (started) {
            throw new IllegalStateException("worker " + settings.name() + " is already started; call start() once");
        }
        if (closed) {
            throw new IllegalStateException("worker " + settings.name() + " is closed; build a new one");
        }
        requireTopics();
        try {
            waiter.start(START_TIMEOUT);
            cancellationReader.start(START_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting worker " + settings.name(), e);
        }
        dispatcher.start();
        started = true;
        return this;
    }

    /** Runs in progress on this worker. */
    public int runsInFlight() {
        return dispatcher.inFlight();
    }

    public String groupId() {
        return settings.groupId();
    }

    /**
     * Graceful shutdown: takes no new trigger, lets the runs in progress finish within the shutdown grace
     * period, reports those still going FAILED (retryable, so they are retried elsewhere), commits, and
     * leaves the group.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (started) {
            dispatcher.stop();
        }
        shutDownClients();
    }

    /**
     * Stops as a crash would: the runs in progress are abandoned without a report and nothing more is
     * committed, so their triggers are delivered again to the group's other workers (or to this group
     * when it comes back). For tests of failover and for emergency stops.
     */
    public synchronized void halt() {
        if (closed) {
            return;
        }
        closed = true;
        if (started) {
            dispatcher.halt();
        }
        shutDownClients();
    }

    private void shutDownClients() {
        cancellationReader.close();
        originals.close();
        waiter.close();
        producer.close();
        registry.close();
    }

    private void requireTopics() {
        Map<String, Object> adminSettings = new HashMap<>(settings.clientSettings());
        adminSettings.keySet().retainAll(org.apache.kafka.clients.admin.AdminClientConfig.configNames());
        try (Admin admin = Admin.create(adminSettings)) {
            Set<String> existing = admin.listTopics().names().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> missing = Arrays.stream(settings.topics().all()).filter(t -> !existing.contains(t)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("topics " + missing + " do not exist on "
                        + settings.clientSettings().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                        + ": create Fanout's topics first (fanout topics create), or set topicPrefix(...) to the "
                        + "prefix the installation uses (this worker uses '" + settings.topics().triggers()
                        .replaceFirst("triggers$", "") + "'); on a cluster with ACLs, a topic this principal may "
                        + "not DESCRIBE looks missing too: docs/security.md lists the worker's ACLs");
            }
        } catch (ExecutionException | TimeoutException e) {
            Optional<String> refused = SecurityFailures.explain(e);
            if (refused.isPresent()) {
                throw new IllegalStateException("worker " + settings.name() + " cannot start: " + refused.get(), e);
            }
            throw new IllegalStateException("cannot list the topics of "
                    + settings.clientSettings().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                    + " within " + START_TIMEOUT + ": is the broker running and bootstrapServers right? ("
                    + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the topics", e);
        }
    }

    /** Settings and handlers; {@link #build} checks them all and says what to fix. */
    public static final class Builder {

        private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]*");
        private static final Pattern BOOTSTRAP_SERVER = Pattern.compile("(?:[A-Za-z]+://)?(?:\\[[0-9A-Fa-f:.]+]|[^:\\s/]+):[0-9]{1,5}");
        private static final Set<String> OWNED = Set.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL);

        private String bootstrapServers;
        private String schemaRegistryUrl;
        private String groupId;
        private String topicPrefix = "fanout.";
        private int concurrency = 4;
        private Duration shutdownGracePeriod = Duration.ofSeconds(30);
        private final Map<String, Map<String, RunHandler>> handlers = new LinkedHashMap<>();
        private final Map<String, Object> properties = new LinkedHashMap<>();

        private Builder() {
        }

        /** Kafka's {@code bootstrap.servers}, such as {@code localhost:9092}. Required. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** Base URL of the Schema Registry, such as {@code http://localhost:8081}. Required. */
        public Builder schemaRegistryUrl(String url) {
            this.schemaRegistryUrl = url;
            return this;
        }

        /**
         * The consumer group: every instance of one service uses the same group and shares its triggers.
         * Required.
         */
        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** The installation's topic prefix ({@code fanout.topic.prefix}); {@code fanout.} unless set. */
        public Builder topicPrefix(String prefix) {
            this.topicPrefix = prefix;
            return this;
        }

        /** How many runs this instance executes at once (its pool size); 4 unless set. */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new WorkerConfigurationException("concurrency is " + concurrency
                        + "; it is how many runs execute at once, so give 1 or more, such as 8");
            }
            this.concurrency = concurrency;
            return this;
        }

        /** How long {@link FanoutWorker#close} waits for runs in progress; 30 s unless set. */
        public Builder shutdownGracePeriod(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative()) {
                throw new WorkerConfigurationException("shutdownGracePeriod is " + grace
                        + "; give zero (report runs in progress at once) or more, such as PT30S");
            }
            this.shutdownGracePeriod = grace;
            return this;
        }

        /**
         * Runs {@code handler} for the triggers of {@code workflow} in subscriber repository {@code repo}
         * (the {@code repo} and {@code workflow} of the subscriptions in that repository's tako.yml).
         */
        public Builder handle(String repo, String workflow, RunHandler handler) {
            requireText(repo, "handle(repo, workflow, handler): repo", "a repository name such as app-b");
            requireText(workflow, "handle(repo, workflow, handler): workflow", "a workflow name such as deploy");
            Objects.requireNonNull(handler, "handler");
            Map<String, RunHandler> workflows = handlers.computeIfAbsent(repo, r -> new LinkedHashMap<>());
            if (workflows.containsKey(workflow)) {
                throw new WorkerConfigurationException("a handler for workflow '" + workflow + "' of repo " + repo
                        + " is already registered; register each repo and workflow once (one handler can "
                        + "branch on run.inputs() if it does several things)");
            }
            workflows.put(workflow, handler);
            return this;
        }

        /**
         * Any other Kafka client or Schema Registry client setting (security, timeouts,
         * {@code basic.auth.user.info}...), given to every client the worker makes.
         */
        public Builder property(String key, Object value) {
            requireText(key, "property key", "a Kafka or Schema Registry client setting such as security.protocol");
            Objects.requireNonNull(value, "value");
            if (OWNED.contains(key)) {
                throw new WorkerConfigurationException("property '" + key + "' is set by the worker itself ("
                        + "offsets are committed only after a run is reported, reads are read_committed...); "
                        + "use the builder's own method where there is one (bootstrapServers, schemaRegistryUrl, "
                        + "groupId, concurrency), or leave it out");
            }
            properties.put(key, value);
            return this;
        }

        public FanoutWorker build() {
            requireText(bootstrapServers, "bootstrapServers", "the Kafka brokers, such as localhost:9092");
            for (String server : bootstrapServers.split(",")) {
                if (!BOOTSTRAP_SERVER.matcher(server.trim()).matches()) {
                    throw new WorkerConfigurationException("bootstrapServers '" + bootstrapServers + "': '" + server.trim()
                            + "' is not host:port; give comma-separated host:port pairs, such as localhost:9092");
                }
            }
            requireText(schemaRegistryUrl, "schemaRegistryUrl", "the Schema Registry's URL, such as http://localhost:8081");
            requireText(groupId, "groupId", "the consumer group of this service's workers, such as app-b-workers");
            if (topicPrefix == null || !PREFIX.matcher(topicPrefix).matches()) {
                throw new WorkerConfigurationException("topicPrefix '" + topicPrefix + "' is not allowed: use letters, "
                        + "digits, '.', '_' and '-' only, and the same prefix as the Fanout installation (fanout. by default)");
            }
            if (handlers.isEmpty()) {
                throw new WorkerConfigurationException("no handler is registered: add at least one with "
                        + "handle(repo, workflow, handler), such as handle(\"app-b\", \"deploy\", run -> ...)");
            }
            Map<String, Object> client = new HashMap<>(properties);
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            client.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, groupId);
            Map<String, Object> serde = new HashMap<>(properties);
            serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
            try {
                new AvroSerdeConfig(serde);
            } catch (ConfigException e) {
                throw new WorkerConfigurationException("schemaRegistryUrl: " + e.getMessage());
            }
            Map<String, Map<String, RunHandler>> frozen = new LinkedHashMap<>();
            handlers.forEach((repo, workflows) -> frozen.put(repo, Map.copyOf(workflows)));
            return new FanoutWorker(new WorkerSettings(groupId, groupId, WorkerTopics.withPrefix(topicPrefix),
                    concurrency, shutdownGracePeriod, Map.copyOf(frozen), Map.copyOf(client), Map.copyOf(serde)));
        }

        private static void requireText(String value, String name, String example) {
            if (value == null || value.isBlank()) {
                throw new WorkerConfigurationException(name + " is " + (value == null ? "not set" : "blank")
                        + ": give " + example);
            }
        }
    }
}
