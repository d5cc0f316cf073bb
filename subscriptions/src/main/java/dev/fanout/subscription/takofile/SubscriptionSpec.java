package dev.fanout.subscription.takofile;

import dev.fanout.avro.DependencyCondition;
import dev.fanout.avro.DependencyMode;
import dev.fanout.avro.DependsOn;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.Subscription;
import dev.fanout.subscription.SubscriptionNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of {@code subscriptions:} exactly as written. Every component is nullable (absent key) so
 * that missing required keys are reported by name instead of as a binding failure; keys are the
 * snake_case forms of the component names.
 */
record SubscriptionSpec(
        String name,
        String artifact,
        List<String> events,
        String schemaVersion,
        String filter,
        String workflow,
        Map<String, String> inputs,
        String foreach,
        RetrySpec retry,
        Long timeoutMs,
        DependsOnSpec dependsOn,
        String compensateWorkflow,
        Long heartbeatTimeoutMs) {

    record RetrySpec(Integer maxAttempts, Long backoffMs, Double backoffMultiplier) {
    }

    /**
     * {@code mode} and {@code condition} are bound as text and read by {@link #badValues()}, so that a bad
     * one is reported with the subscription's id, and so that case does not matter ({@code ALL}, {@code all};
     * {@code succeeded}, {@code SUCCEEDED}).
     */
    record DependsOnSpec(List<String> subscriptions, String mode, String condition) {

        static final List<String> MODES = List.of("ALL", "ANY");
        static final List<String> CONDITIONS = List.of("succeeded", "failed", "done");

        DependencyMode dependencyMode() {
            return mode == null ? DependencyMode.ALL : DependencyMode.valueOf(mode.toUpperCase(Locale.ROOT));
        }

        DependencyCondition dependencyCondition() {
            return condition == null ? DependencyCondition.SUCCEEDED
                    : DependencyCondition.valueOf(condition.toUpperCase(Locale.ROOT));
        }
    }

    /** A value of the right type that is not one of the allowed ones. */
    record BadValue(String key, String message) {
    }

    /** Required keys that are absent, dotted for nested ones. */
    List<String> missingKeys() {
        List<String> missing = new ArrayList<>();
        requireKey(missing, "name", name);
        requireKey(missing, "artifact", artifact);
        requireKey(missing, "events", events);
        requireKey(missing, "schema_version", schemaVersion);
        requireKey(missing, "workflow", workflow);
        if (retry != null) {
            requireKey(missing, "retry.max_attempts", retry.maxAttempts());
            requireKey(missing, "retry.backoff_ms", retry.backoffMs());
        }
        if (dependsOn != null) {
            requireKey(missing, "depends_on.subscriptions", dependsOn.subscriptions());
        }
        return missing;
    }

    /** Values that bound but are not allowed, such as {@code depends_on.condition: succeded}; dotted keys. */
    List<BadValue> badValues() {
        List<BadValue> bad = new ArrayList<>();
        if (dependsOn != null) {
            oneOf(bad, "depends_on.mode", dependsOn.mode(), DependsOnSpec.MODES, DependencyMode.class);
            oneOf(bad, "depends_on.condition", dependsOn.condition(), DependsOnSpec.CONDITIONS, DependencyCondition.class);
        }
        return bad;
    }

    private static void oneOf(List<BadValue> bad, String key, String value, List<String> documented,
                              Class<? extends Enum<?>> type) {
        if (value == null) {
            return;
        }
        boolean known = Arrays.stream(type.getEnumConstants()).anyMatch(constant -> constant.name().equalsIgnoreCase(value));
        if (!known) {
            bad.add(new BadValue(key, key + " is '" + value + "'; use one of " + String.join(", ", documented)
                    + " (upper or lower case)"));
        }
    }

    private static void requireKey(List<String> missing, String key, Object value) {
        if (value == null) {
            missing.add(key);
        }
    }

    /** The Avro record; call only when {@link #missingKeys()} and {@link #badValues()} are empty. */
    Subscription toAvro(String repo) {
        return Subscription.newBuilder()
                .setId(SubscriptionNames.subscriptionId(repo, name))
                .setRepo(repo)
                .setArtifact(artifact)
                .setEvents(new ArrayList<>(events))
                .setSchemaVersion(schemaVersion)
                .setFilter(filter)
                .setWorkflow(workflow)
                // Sorted, so that the same file always yields the same bytes on the topic.
                .setInputs(inputs == null ? new TreeMap<>() : new TreeMap<>(inputs))
                .setForeach(foreach)
                .setRetry(retry == null ? null : RetryPolicy.newBuilder()
                        .setMaxAttempts(retry.maxAttempts())
                        .setBackoffMs(retry.backoffMs())
                        .setBackoffMultiplier(retry.backoffMultiplier() == null ? 1.0 : retry.backoffMultiplier())
                        .build())
                .setTimeoutMs(timeoutMs)
                .setDependsOn(dependsOn == null ? null : DependsOn.newBuilder()
                        .setSubscriptions(new ArrayList<>(dependsOn.subscriptions()))
                        .setMode(dependsOn.dependencyMode())
                        .setCondition(dependsOn.dependencyCondition())
                        .build())
                .setCompensateWorkflow(compensateWorkflow)
                .setHeartbeatTimeoutMs(heartbeatTimeoutMs)
                .build();
    }
}
