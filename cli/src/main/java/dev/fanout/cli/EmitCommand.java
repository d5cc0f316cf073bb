package dev.fanout.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.OnFailure;
import dev.fanout.avro.ParentRef;
import dev.fanout.config.Topic;
import dev.fanout.security.SecurityFailures;
import dev.fanout.json.AvroJson;
import dev.fanout.subscription.SubscriptionNames;
import dev.fanout.subscription.match.PreparedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "emit", mixinStandardHelpOptions = true,
        description = {"Publish an ArtifactEvent to the artifact-events topic, keyed by its artifact ref.",
                "Give the event with flags, or as a JSON file (--file) with the fields of the contract."})
public final class EmitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--file", paramLabel = "FILE",
            description = "A JSON file holding the event (snake_case fields; payload may be an object).")
    Path file;

    @Option(names = "--artifact", paramLabel = "REPO:ARTIFACT", description = "Artifact ref, such as lib-core:release.")
    String artifact;

    @Option(names = {"--type", "--event-type"}, paramLabel = "TYPE", description = "Event type, such as published.")
    String eventType;

    @Option(names = "--schema-version", paramLabel = "SEMVER", description = "Version of the payload's shape, such as 1.2.0.")
    String schemaVersion;

    @Option(names = "--payload", paramLabel = "JSON", description = "Payload as JSON text (default: {}).")
    String payload;

    @Option(names = "--payload-file", paramLabel = "FILE", description = "Read the payload from a JSON file.")
    Path payloadFile;

    @Option(names = "--event-id", paramLabel = "ID", description = "Unique event id; also the tree id (default: a random UUID).")
    String eventId;

    @Option(names = "--source-repo", paramLabel = "REPO", description = "Producing repository (default: the artifact's repo).")
    String sourceRepo;

    @Option(names = "--header", paramLabel = "KEY=VALUE", description = "A header, such as traceparent=...; repeatable.")
    List<String> headers;

    @Option(names = "--parent-tree", paramLabel = "TREE_ID", description = "Tree of the run that emits this event.")
    String parentTree;

    @Option(names = "--parent-run", paramLabel = "RUN_ID", description = "Run that emits this event (with --parent-tree).")
    String parentRun;

    @Option(names = "--no-wait-for-children", description = "The parent does not wait for this fan-out's children.")
    boolean noWait;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Fan-out timeout.")
    Long timeoutMs;

    @Option(names = "--concurrency-limit", paramLabel = "N", description = "Most children in flight at once.")
    Integer concurrencyLimit;

    @Option(names = "--tolerated-failures", paramLabel = "N", description = "Children that may fail before the fan-out fails.")
    Integer toleratedFailures;

    @Option(names = "--on-failure", paramLabel = "POLICY",
            description = "Once more children failed than --tolerated-failures: continue (the default) releases the "
                    + "rest anyway, fail_fast skips the children not yet released (running ones finish).")
    String onFailure;

    /** The {@code --on-failure} values, as the docs write them. */
    static final List<String> ON_FAILURE_VALUES = List.of("continue", "fail_fast");

    @Override
    public Integer call() throws Exception {
        ArtifactEvent event = event();
        ClientSettings settings = connection.settings();
        Topic<String, ArtifactEvent> topic = Topics.of(settings).artifactEvents();
        try (KafkaProducer<String, ArtifactEvent> producer = new KafkaProducer<>(Kafka.producerConfig(settings),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            RecordMetadata meta = producer.send(new ProducerRecord<>(topic.name(), event.getArtifact(), event)).get();
            spec.commandLine().getOut().printf("emitted event %s (%s %s) to %s partition %d offset %d%n",
                    event.getEventId(), event.getArtifact(), event.getEventType(), meta.topic(), meta.partition(),
                    meta.offset());
        } catch (ExecutionException e) {
            throw new CliException("could not publish to " + topic.name() + " on " + settings.bootstrapServers()
                    + ": " + e.getCause().getMessage()
                    + (SecurityFailures.isSecurityFailure(e) ? "" : " (is the broker up? try ./fanout dev)"), e.getCause());
        }
        return 0;
    }

    /** The event the flags or the --file describe, checked; what {@link #call()} publishes. */
    ArtifactEvent event() {
        ArtifactEvent event = file != null ? fromFile() : fromFlags();
        validate(event);
        return event;
    }

    private ArtifactEvent fromFlags() {
        require(artifact, "--artifact");
        require(eventType, "--event-type");
        require(schemaVersion, "--schema-version");
        if (payload != null && payloadFile != null) {
            throw new CliException("give the payload once: --payload or --payload-file, not both");
        }
        String json = payloadFile != null ? read(payloadFile, "--payload-file") : payload == null ? "{}" : payload;
        ArtifactEvent.Builder b = ArtifactEvent.newBuilder()
                .setEventId(eventId != null ? eventId : UUID.randomUUID().toString())
                .setArtifact(artifact)
                .setEventType(eventType)
                .setSchemaVersion(schemaVersion)
                .setPayload(canonicalJson(json, payloadFile != null ? "--payload-file " + payloadFile : "--payload"))
                .setProducedAt(Instant.now())
                .setSourceRepo(sourceRepo != null ? sourceRepo : artifact.substring(0, Math.max(0, artifact.indexOf(':'))));
        if (parentTree != null || parentRun != null) {
            if (parentTree == null || parentRun == null) {
                throw new CliException("--parent-tree and --parent-run go together: a nested event names both "
                        + "the tree and the run that emitted it");
            }
            b.setParent(new ParentRef(parentTree, parentRun));
        }
        if (noWait || timeoutMs != null || concurrencyLimit != null || toleratedFailures != null || onFailure != null) {
            OnFailure policy = onFailure == null ? OnFailure.CONTINUE : onFailure(onFailure, "--on-failure");
            b.setFanOut(new FanOutOptions(!noWait, timeoutMs, concurrencyLimit, toleratedFailures, policy));
        }
        if (headers != null) {
            Map<String, String> map = new LinkedHashMap<>();
            for (String h : headers) {
                int eq = h.indexOf('=');
                if (eq <= 0) {
                    throw new CliException("--header '" + h + "' is not KEY=VALUE; write it as, e.g., --header traceparent=00-abc-01");
                }
                map.put(h.substring(0, eq), h.substring(eq + 1));
            }
            b.setHeaders(map);
        }
        return b.build();
    }

    private ArtifactEvent fromFile() {
        if (artifact != null || eventType != null || schemaVersion != null || payload != null || payloadFile != null
                || sourceRepo != null || headers != null || parentTree != null || parentRun != null) {
            throw new CliException("--file holds the whole event: leave out the event flags, or drop --file");
        }
        if (noWait || timeoutMs != null || concurrencyLimit != null || toleratedFailures != null || onFailure != null) {
            throw new CliException("--file holds the whole event, fan-out options too: give them in its fan_out field "
                    + "(such as \"fan_out\": {\"on_failure\": \"fail_fast\"}), or drop --file");
        }
        String text = read(file, "--file");
        JsonNode json;
        try {
            json = AvroJson.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new CliException("--file " + file + " is not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        if (!(json instanceof ObjectNode obj)) {
            throw new CliException("--file " + file + " must hold a JSON object with the fields of ArtifactEvent");
        }
        // The payload is JSON text on the wire; in a file it reads better as a nested object.
        JsonNode p = obj.get("payload");
        if (p != null && !p.isTextual() && !p.isNull()) {
            obj.put("payload", p.toString());
        } else if (p != null && p.isTextual()) {
            obj.put("payload", canonicalJson(p.asText(), "--file " + file + " field payload"));
        }
        // Written in the docs' words (fail_fast); the contract's enum symbol is FAIL_FAST.
        if (obj.get("fan_out") instanceof ObjectNode fanOut && fanOut.get("on_failure") != null
                && fanOut.get("on_failure").isTextual()) {
            fanOut.put("on_failure", onFailure(fanOut.get("on_failure").asText(),
                    "--file " + file + " field fan_out.on_failure").name());
        }
        obj.putIfAbsent("event_id", AvroJson.mapper().getNodeFactory().textNode(UUID.randomUUID().toString()));
        obj.putIfAbsent("produced_at", AvroJson.mapper().getNodeFactory().numberNode(System.currentTimeMillis()));
        if (!obj.has("source_repo") && obj.path("artifact").isTextual() && obj.get("artifact").asText().contains(":")) {
            String ref = obj.get("artifact").asText();
            obj.put("source_repo", ref.substring(0, ref.indexOf(':')));
        }
        try {
            return AvroJson.fromJson(obj, ArtifactEvent.class);
        } catch (IllegalArgumentException e) {
            throw new CliException("--file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Refuses what the pipeline would dead-letter anyway, before it is published. The version and payload are
     * checked by the matcher's own {@link PreparedEvent}, the artifact ref by the rule subscriptions are held to,
     * so what this accepts the matcher accepts.
     */
    void validate(ArtifactEvent event) {
        if (!SubscriptionNames.isArtifactRef(event.getArtifact())) {
            throw new CliException(where("artifact", "--artifact") + " '" + event.getArtifact()
                    + "' is not an artifact ref: write it as repo:artifact, such as lib-core:release");
        }
        if (event.getEventType().isBlank()) {
            throw new CliException(where("event_type", "--event-type") + " is empty: give one, such as published");
        }
        if (event.getEventId().isBlank()) {
            throw new CliException(where("event_id", "--event-id")
                    + " is empty: leave it out for a random one, or give a unique id");
        }
        PreparedEvent prepared = PreparedEvent.prepare(event);
        prepared.versionProblem().ifPresent(problem -> {
            throw new CliException(where("schema_version", "--schema-version") + " '" + event.getSchemaVersion()
                    + "' is not a semantic version: use MAJOR.MINOR.PATCH, such as 1.2.0 (no leading 'v')");
        });
        prepared.payloadProblem().ifPresent(problem -> {
            throw new CliException(where("payload", "--payload") + ": " + problem.reason());
        });
        if (event.getParent() != null && (event.getParent().getTreeId().isBlank() || event.getParent().getRunId().isBlank())) {
            throw new CliException(where("parent", "--parent-tree/--parent-run") + " needs both tree_id and run_id");
        }
        FanOutOptions f = event.getFanOut();
        if (f != null) {
            positive(f.getTimeoutMs(), where("fan_out.timeout_ms", "--timeout-ms"));
            positive(f.getConcurrencyLimit() == null ? null : f.getConcurrencyLimit().longValue(),
                    where("fan_out.concurrency_limit", "--concurrency-limit"));
            if (f.getToleratedFailures() != null && f.getToleratedFailures() < 0) {
                throw new CliException(where("fan_out.tolerated_failures", "--tolerated-failures") + " "
                        + f.getToleratedFailures() + " must be 0 or more");
            }
        }
    }

    /** {@code continue} or {@code fail_fast}, in either case; {@code what} names the value in the error. */
    static OnFailure onFailure(String value, String what) {
        for (OnFailure policy : OnFailure.values()) {
            if (policy.name().equalsIgnoreCase(value)) {
                return policy;
            }
        }
        throw new CliException(what + " '" + value + "' is not a failure policy: use " + String.join(" or ", ON_FAILURE_VALUES)
                + " (continue releases every child whatever fails; fail_fast skips those not yet released once "
                + "failures exceed the tolerated ones)");
    }

    /** Names a value as the user gave it: the flag, or the field of the --file. */
    private String where(String field, String flag) {
        return file != null ? "--file " + file + " field " + field : flag;
    }

    private static void positive(Long value, String name) {
        if (value != null && value <= 0) {
            throw new CliException(name + " " + value + " must be positive (leave it out for no limit)");
        }
    }

    private static String canonicalJson(String text, String what) {
        try {
            return AvroJson.mapper().writeValueAsString(AvroJson.mapper().readTree(text));
        } catch (JsonProcessingException e) {
            throw new CliException(what + " is not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + " (quote it for the shell, such as --payload '{\"version\":\"1.2.0\"}')");
        }
    }

    private static String read(Path path, String option) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new CliException(option + " " + path + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    private static void require(String value, String option) {
        if (value == null) {
            throw new CliException("missing " + option + " (or give the whole event with --file)");
        }
    }
}
