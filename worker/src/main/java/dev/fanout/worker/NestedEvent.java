package dev.fanout.worker;

import dev.fanout.avro.FanOutOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An event a run publishes (a nested fan-out). The worker fills in what ties it to the run: {@code parent}
 * (tree id and run id), {@code source_repo}, {@code produced_at}, and the {@code event_id}.
 *
 * <h2>Event ids and retries</h2>
 * The matcher drops an event whose {@code event_id} it has seen (see docs/matcher.md), so the id decides
 * whether publishing again starts a second fan-out. The worker derives it from the run, never at random:
 * <ul>
 *   <li>by default {@code <run id>.e<n>}, {@code n} counting the run's emits from 1 in the order the handler
 *       makes them, or {@code <run id>.<key>} with {@link Builder#key}. A retried attempt, or a trigger
 *       redelivered after a worker crash, that emits the same events again therefore starts no second
 *       fan-out: its {@code emitAndWait} returns the {@code FanOutDone} of the fan-out the first attempt
 *       started (the worker looks it up if it was sent before the wait began);</li>
 *   <li>with {@link Builder#perAttempt} the attempt is part of the id, {@code <run id>.a<attempt>.e<n>}: each
 *       attempt starts a fan-out of its own, for work that must be redone when the run is retried (the
 *       children of a failed fan-out run again).</li>
 * </ul>
 * A handler whose emits depend on something that changes between attempts (the time, a random choice)
 * should name them with {@link Builder#key} so an event keeps its id.
 */
public final class NestedEvent {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final String artifact;
    private final String eventType;
    private final String schemaVersion;
    private final String payload;
    private final String key;
    private final boolean perAttempt;
    private final FanOutOptions fanOut;
    private final Map<String, String> headers;

    private NestedEvent(Builder builder) {
        this.artifact = builder.artifact;
        this.eventType = builder.eventType;
        this.schemaVersion = builder.schemaVersion;
        this.payload = builder.payload;
        this.key = builder.key;
        this.perAttempt = builder.perAttempt;
        this.fanOut = builder.fanOut;
        this.headers = Map.copyOf(builder.headers);
    }

    /**
     * @param artifact artifact ref {@code repo:artifact}, such as {@code svc-a:image}
     * @param eventType such as {@code published}
     * @param schemaVersion semantic version of the payload's shape, such as {@code 2.1.0}
     */
    public static Builder builder(String artifact, String eventType, String schemaVersion) {
        return new Builder(artifact, eventType, schemaVersion);
    }

    public String artifact() {
        return artifact;
    }

    public String eventType() {
        return eventType;
    }

    public String schemaVersion() {
        return schemaVersion;
    }

    public String payload() {
        return payload;
    }

    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    public boolean perAttempt() {
        return perAttempt;
    }

    public Optional<FanOutOptions> fanOut() {
        return Optional.ofNullable(fanOut);
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The event id for the {@code sequence}-th emit (1-based) of {@code attempt} of run {@code runId}. */
    String eventId(String runId, int attempt, int sequence) {
        String name = key != null ? key : "e" + sequence;
        return perAttempt ? runId + ".a" + attempt + "." + name : runId + "." + name;
    }

    public static final class Builder {

        private final String artifact;
        private final String eventType;
        private final String schemaVersion;
        private String payload = "{}";
        private String key;
        private boolean perAttempt;
        private FanOutOptions fanOut;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(String artifact, String eventType, String schemaVersion) {
            this.artifact = requireText(artifact, "artifact", "an artifact ref such as svc-a:image");
            if (!artifact.contains(":")) {
                throw new IllegalArgumentException("nested event: artifact '" + artifact
                        + "' is not an artifact ref; write repo:artifact, such as svc-a:image");
            }
            this.eventType = requireText(eventType, "eventType", "an event type such as published");
            this.schemaVersion = requireText(schemaVersion, "schemaVersion", "a semantic version such as 1.0.0");
        }

        /** JSON text; {@code {}} unless set. */
        public Builder payload(String json) {
            this.payload = requireText(json, "payload", "JSON text such as {\"image\": \"svc-a:1.4.0\"}");
            return this;
        }

        /** A stable name for this event within the run, used in its id instead of its emit number. */
        public Builder key(String key) {
            Objects.requireNonNull(key, "key");
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("nested event: key '" + key + "' is not allowed; use 1 to 100 "
                        + "letters, digits, '.', '_' or '-', such as image");
            }
            this.key = key;
            return this;
        }

        /** Each attempt of the run starts its own fan-out (the attempt is part of the event id). */
        public Builder perAttempt() {
            this.perAttempt = true;
            return this;
        }

        /**
         * How the fan-out runs: {@code wait_for_children}, {@code timeout_ms}, {@code concurrency_limit},
         * {@code tolerated_failures} and {@code on_failure} ({@link dev.fanout.avro.OnFailure#FAIL_FAST} skips
         * the children not yet released once more of them failed than tolerated).
         */
        public Builder fanOut(FanOutOptions options) {
            this.fanOut = Objects.requireNonNull(options, "options");
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public NestedEvent build() {
            return new NestedEvent(this);
        }

        private static String requireText(String value, String name, String example) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("nested event: " + name + " is " + (value == null ? "missing" : "blank")
                        + "; give " + example);
            }
            return value;
        }
    }
}
