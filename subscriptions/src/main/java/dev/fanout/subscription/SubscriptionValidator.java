package dev.fanout.subscription;

import dev.fanout.avro.DependsOn;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.Subscription;
import dev.fanout.subscription.cel.CompiledExpression;
import dev.fanout.subscription.cel.InvalidExpressionException;
import dev.fanout.subscription.cel.SubscriptionExpressions;
import dev.fanout.subscription.cel.SubscriptionExpressions.Scope;
import dev.fanout.subscription.version.InvalidVersionRangeException;
import dev.fanout.subscription.version.VersionRanges;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a {@link Subscription} record: the one from a tako.yml and the one that arrives on the
 * subscriptions topic (written by any producer) go through the same checks, so the matcher can
 * dead-letter exactly what the CLI would have refused.
 *
 * <p>Every problem is reported, not just the first, so one round of fixes is enough.
 */
public final class SubscriptionValidator {

    private final SubscriptionExpressions expressions;
    private final VersionRanges ranges;

    public SubscriptionValidator(SubscriptionExpressions expressions, VersionRanges ranges) {
        this.expressions = Objects.requireNonNull(expressions, "expressions");
        this.ranges = Objects.requireNonNull(ranges, "ranges");
    }

    public static SubscriptionValidator withDefaults() {
        return new SubscriptionValidator(SubscriptionExpressions.withDefaultLimits(), new VersionRanges());
    }

    /** All problems of {@code subscription}; empty when it is valid. */
    public List<Problem> validate(Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription");
        Checks checks = new Checks(subscription);
        checks.identity();
        checks.artifact();
        checks.events();
        checks.schemaVersion();
        checks.filter();
        checks.workflow("workflow", subscription.getWorkflow(), true);
        checks.foreach();
        checks.inputs();
        checks.retry();
        checks.timeout();
        checks.dependsOn();
        checks.workflow("compensate_workflow", subscription.getCompensateWorkflow(), false);
        return List.copyOf(checks.problems);
    }

    /** The scope inputs are compiled in: with {@code foreach} they may use {@code item} and {@code index}. */
    static Scope inputScope(Subscription subscription) {
        return subscription.getForeach() == null ? Scope.EVENT : Scope.EVENT_AND_ITEM;
    }

    /** One validation run; collects problems with the subscription's id as prefix. */
    private final class Checks {

        private final Subscription subscription;
        private final String prefix;
        private final List<Problem> problems = new ArrayList<>();

        Checks(Subscription subscription) {
            this.subscription = subscription;
            this.prefix = "subscription " + display(subscription.getId()) + ": ";
        }

        private void add(String field, String message) {
            problems.add(new Problem(field, prefix + message));
        }

        void identity() {
            String id = subscription.getId();
            String repo = subscription.getRepo();
            if (!SubscriptionNames.isRepo(repo)) {
                add("repo", "repo " + quoteOrMissing(repo) + " is not a repository name; use segments of "
                        + SubscriptionNames.NAME_RULE + ", separated by '/'");
                return;
            }
            String expectedStart = repo + "/";
            if (id == null || !id.startsWith(expectedStart)) {
                add("id", "id " + quoteOrMissing(id) + " must be '<repo>/<name>', i.e. start with '" + expectedStart + "'");
                return;
            }
            String name = id.substring(expectedStart.length());
            if (!SubscriptionNames.isName(name)) {
                add("name", "name '" + name + "' is not valid; use " + SubscriptionNames.NAME_RULE);
            }
        }

        void artifact() {
            String artifact = subscription.getArtifact();
            if (!SubscriptionNames.isArtifactRef(artifact)) {
                add("artifact", "artifact " + quoteOrMissing(artifact)
                        + " is not an artifact ref; write 'repo:artifact', e.g. 'lib-core:release'");
            }
        }

        void events() {
            List<String> events = subscription.getEvents();
            if (events == null || events.isEmpty()) {
                add("events", "events is empty; list at least one event type, e.g. [published]");
                return;
            }
            Set<String> seen = new HashSet<>();
            for (String event : events) {
                if (!SubscriptionNames.isName(event)) {
                    add("events", "event type " + quoteOrMissing(event) + " is not valid; use " + SubscriptionNames.NAME_RULE);
                } else if (!seen.add(event)) {
                    add("events", "event type '" + event + "' is listed twice; list it once");
                }
            }
        }

        void schemaVersion() {
            String range = subscription.getSchemaVersion();
            if (range == null) {
                add("schema_version", "schema_version is missing; give an npm range such as '^1.0.0' or '*'");
                return;
            }
            try {
                ranges.parse(range);
            } catch (InvalidVersionRangeException e) {
                add("schema_version", "schema_version '" + range + "' is not a valid version range: " + e.getMessage());
            }
        }

        void filter() {
            String filter = subscription.getFilter();
            if (filter == null) {
                return;
            }
            compile("filter", filter, Scope.EVENT).ifPresent(compiled -> {
                if (!compiled.isBoolean()) {
                    String fix = compiled.resultType().kind() == dev.cel.common.types.CelKind.DYN
                            ? "compare it explicitly, e.g. '" + filter + " == true'"
                            : "write a condition, e.g. 'event.payload.channel == \"stable\"'";
                    add("filter", "filter '" + filter + "' has type " + compiled.resultType().name()
                            + ", but a filter must be a bool; " + fix);
                }
            });
        }

        void foreach() {
            String foreach = subscription.getForeach();
            if (foreach == null) {
                return;
            }
            compile("foreach", foreach, Scope.EVENT).ifPresent(compiled -> {
                if (!compiled.mayBeList()) {
                    add("foreach", "foreach '" + foreach + "' has type " + compiled.resultType().name()
                            + ", but foreach must yield a list, e.g. 'event.payload.targets'");
                }
            });
        }

        void inputs() {
            Map<String, String> inputs = subscription.getInputs();
            if (inputs == null) {
                return;
            }
            Scope scope = inputScope(subscription);
            inputs.forEach((name, expression) -> {
                String field = "inputs." + name;
                if (!SubscriptionNames.isInputName(name)) {
                    add(field, "input name '" + name + "' is not valid; use " + SubscriptionNames.INPUT_NAME_RULE);
                } else if (expression == null) {
                    add(field, "input '" + name + "' has no expression; write a CEL expression such as 'event.payload.version'");
                } else {
                    compile(field, "input '" + name + "'", expression, scope, scope == Scope.EVENT
                            ? "; item and index exist only in subscriptions with a foreach" : "");
                }
            });
        }

        void retry() {
            RetryPolicy retry = subscription.getRetry();
            if (retry == null) {
                return;
            }
            if (retry.getMaxAttempts() < 1) {
                add("retry.max_attempts", "retry.max_attempts is " + retry.getMaxAttempts()
                        + "; it counts every attempt including the first, so use 1 or more");
            }
            if (retry.getBackoffMs() < 1) {
                add("retry.backoff_ms", "retry.backoff_ms is " + retry.getBackoffMs() + "; use a positive number of milliseconds");
            }
            double multiplier = retry.getBackoffMultiplier();
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                add("retry.backoff_multiplier", "retry.backoff_multiplier is " + multiplier
                        + "; use 1 (constant backoff) or more (growing backoff)");
            }
        }

        void timeout() {
            Long timeout = subscription.getTimeoutMs();
            if (timeout != null && timeout < 1) {
                add("timeout_ms", "timeout_ms is " + timeout + "; use a positive number of milliseconds or leave it out");
            }
            Long heartbeatTimeout = subscription.getHeartbeatTimeoutMs();
            if (heartbeatTimeout != null && heartbeatTimeout < 1) {
                add("heartbeat_timeout_ms", "heartbeat_timeout_ms is " + heartbeatTimeout
                        + "; use a positive number of milliseconds or leave it out");
            }
        }

        void dependsOn() {
            DependsOn dependsOn = subscription.getDependsOn();
            if (dependsOn == null) {
                return;
            }
            if (dependsOn.getMode() == null) {
                add("depends_on.mode", "depends_on.mode is missing; use ALL or ANY");
            }
            if (dependsOn.getCondition() == null) {
                add("depends_on.condition", "depends_on.condition is missing; use SUCCEEDED, FAILED or DONE");
            }
            List<String> ids = dependsOn.getSubscriptions();
            if (ids == null || ids.isEmpty()) {
                add("depends_on.subscriptions", "depends_on.subscriptions is empty; list subscription ids "
                        + "such as 'svc-a/build', or remove depends_on");
                return;
            }
            Set<String> seen = new HashSet<>();
            for (String id : ids) {
                if (!SubscriptionNames.isSubscriptionId(id)) {
                    add("depends_on.subscriptions", "depends_on entry " + quoteOrMissing(id)
                            + " is not a subscription id; write 'repo/name', e.g. 'svc-a/build'");
                } else if (id.equals(subscription.getId())) {
                    add("depends_on.subscriptions", "depends_on lists the subscription itself; remove '" + id + "'");
                } else if (!seen.add(id)) {
                    add("depends_on.subscriptions", "depends_on lists '" + id + "' twice; list it once");
                }
            }
        }

        void workflow(String field, String workflow, boolean required) {
            if (workflow == null && !required) {
                return;
            }
            if (!SubscriptionNames.isName(workflow)) {
                add(field, field + " " + quoteOrMissing(workflow) + " is not a workflow name; use " + SubscriptionNames.NAME_RULE);
            }
        }

        private Optional<CompiledExpression> compile(String field, String expression, Scope scope) {
            return compile(field, field, expression, scope, "");
        }

        private Optional<CompiledExpression> compile(String field, String what, String expression, Scope scope,
                                                     String itemHint) {
            if (expression.isBlank()) {
                add(field, what + " is empty; write a CEL expression or remove the key");
                return Optional.empty();
            }
            try {
                return Optional.of(expressions.compile(expression, scope));
            } catch (InvalidExpressionException e) {
                boolean usesItem = e.getMessage().contains("reference to 'item'") || e.getMessage().contains("reference to 'index'");
                add(field, what + " '" + expression + "' does not compile: " + e.getMessage() + (usesItem ? itemHint : ""));
                return Optional.empty();
            }
        }
    }

    private static String display(String id) {
        return id == null || id.isBlank() ? "<no id>" : id;
    }

    private static String quoteOrMissing(String value) {
        return value == null ? "(missing)" : "'" + value + "'";
    }
}
