package dev.fanout.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.DependencyCondition;
import dev.fanout.avro.DependencyMode;
import dev.fanout.avro.DependsOn;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.Subscription;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SubscriptionValidatorTest {

    private final SubscriptionValidator validator = SubscriptionValidator.withDefaults();

    private List<Problem> problemsOf(Subscription.Builder subscription) {
        return validator.validate(subscription.build());
    }

    private static String onlyMessage(List<Problem> problems) {
        assertThat(problems).hasSize(1);
        return problems.get(0).message();
    }

    @Test
    void aCompleteSubscriptionHasNoProblems() {
        Subscription subscription = Fixtures.subscription()
                .setFilter("event.payload.channel == 'stable'")
                .setForeach("event.payload.targets")
                .setInputs(Map.of("target", "item", "position", "index"))
                .setRetry(new RetryPolicy(3, 1000L, 2.0))
                .setTimeoutMs(600_000L)
                .setDependsOn(new DependsOn(List.of("svc-a/build"), DependencyMode.ALL, DependencyCondition.SUCCEEDED))
                .setCompensateWorkflow("rollback")
                .build();

        assertThat(validator.validate(subscription)).isEmpty();
    }

    @Test
    void aFilterThatDoesNotCompileNamesTheSubscriptionTheExpressionAndTheCompilerMessage() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setFilter("event.payload.env =="));

        assertThat(onlyMessage(problems)).startsWith(
                "subscription app-b/on-release: filter 'event.payload.env ==' does not compile: mismatched input '<EOF>'")
                .endsWith("at 1:21");
        assertThat(problems.get(0).field()).isEqualTo("filter");
    }

    @Test
    void aFilterOfAnotherTypeThanBoolIsRefused() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setFilter("size(event.payload.targets)"));

        assertThat(onlyMessage(problems)).contains("has type int, but a filter must be a bool");
    }

    @Test
    void aDynFilterIsRefusedWithAnExplicitComparisonAsTheFix() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setFilter("event.payload.enabled"));

        assertThat(onlyMessage(problems)).contains("has type dyn").contains("'event.payload.enabled == true'");
    }

    @Test
    void aRangeThatIsNotNpmSyntaxIsRefusedWithTheValue() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setSchemaVersion("one point two"));

        assertThat(onlyMessage(problems))
                .startsWith("subscription app-b/on-release: schema_version 'one point two' is not a valid version range")
                .contains("npm range syntax");
    }

    @Test
    void anArtifactWithoutRepoIsRefused() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setArtifact("release"));

        assertThat(onlyMessage(problems)).contains("artifact 'release' is not an artifact ref; write 'repo:artifact'");
    }

    @Test
    void anArtifactOfANestedRepositoryIsAccepted() {
        assertThat(problemsOf(Fixtures.subscription().setArtifact("acme/svc-a:image"))).isEmpty();
    }

    @Test
    void anEmptyEventListIsRefused() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setEvents(List.of()));

        assertThat(onlyMessage(problems)).contains("events is empty");
    }

    @Test
    void anEventTypeListedTwiceIsRefused() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setEvents(List.of("published", "published")));

        assertThat(onlyMessage(problems)).contains("'published' is listed twice");
    }

    @Test
    void aNameWithSpacesIsRefusedWithTheNamingRule() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setId("app-b/on release"));

        assertThat(onlyMessage(problems)).contains("name 'on release' is not valid").contains(SubscriptionNames.NAME_RULE);
    }

    @Test
    void anIdOutsideItsRepositoryIsRefused() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setId("app-c/on-release"));

        assertThat(onlyMessage(problems)).contains("must be '<repo>/<name>', i.e. start with 'app-b/'");
    }

    @Test
    void anInputThatDoesNotCompileIsNamed() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setInputs(Map.of("version", "event.payload.")));

        assertThat(onlyMessage(problems)).contains("input 'version' 'event.payload.' does not compile");
        assertThat(problems.get(0).field()).isEqualTo("inputs.version");
    }

    @Test
    void anInputUsingItemWithoutForeachIsRefused() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setInputs(Map.of("target", "item")));

        assertThat(onlyMessage(problems)).contains("undeclared reference to 'item' at 1:1")
                .endsWith("; item and index exist only in subscriptions with a foreach");
    }

    @Test
    void aForeachThatCannotYieldAListIsRefused() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setForeach("event.payload.version + '!'"));

        assertThat(onlyMessage(problems)).contains("foreach").contains("has type string, but foreach must yield a list");
    }

    @Test
    void retryValuesMustBePositiveAndTheMultiplierAtLeastOne() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setRetry(new RetryPolicy(0, 0L, 0.5)));

        assertThat(problems).extracting(Problem::field)
                .containsExactly("retry.max_attempts", "retry.backoff_ms", "retry.backoff_multiplier");
    }

    @Test
    void aNonPositiveTimeoutIsRefused() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setTimeoutMs(0L));

        assertThat(onlyMessage(problems)).contains("timeout_ms is 0");
    }

    @Test
    void aNonPositiveHeartbeatTimeoutIsRefused() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setHeartbeatTimeoutMs(-5L));

        assertThat(problems).extracting(Problem::field).containsExactly("heartbeat_timeout_ms");
        assertThat(onlyMessage(problems)).contains("heartbeat_timeout_ms is -5; use a positive number of milliseconds");
    }

    @Test
    void aDependencyThatIsNotASubscriptionIdIsRefused() {
        List<Problem> problems = problemsOf(Fixtures.subscription()
                .setDependsOn(new DependsOn(List.of("build"), DependencyMode.ANY, DependencyCondition.SUCCEEDED)));

        assertThat(onlyMessage(problems)).contains("depends_on entry 'build' is not a subscription id");
    }

    @Test
    void aSubscriptionCannotDependOnItself() {
        List<Problem> problems = problemsOf(Fixtures.subscription()
                .setDependsOn(new DependsOn(List.of("app-b/on-release"), DependencyMode.ALL, DependencyCondition.SUCCEEDED)));

        assertThat(onlyMessage(problems)).contains("depends_on lists the subscription itself");
    }

    @Test
    void aDependencyWithoutAConditionFromAForeignProducerIsRefused() {
        List<Problem> problems = problemsOf(Fixtures.subscription()
                .setDependsOn(new DependsOn(List.of("svc-a/build"), DependencyMode.ALL, null)));

        assertThat(problems).extracting(Problem::field).containsExactly("depends_on.condition");
        assertThat(onlyMessage(problems)).contains("depends_on.condition is missing; use SUCCEEDED, FAILED or DONE");
    }

    @Test
    void anInvalidCompensationWorkflowIsRefused() {
        List<Problem> problems = problemsOf(Fixtures.subscription().setCompensateWorkflow("roll back"));

        assertThat(onlyMessage(problems)).contains("compensate_workflow 'roll back' is not a workflow name");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<Problem> problems = problemsOf(Fixtures.subscription()
                .setArtifact("nope").setSchemaVersion("soon").setFilter("(").setTimeoutMs(-1L));

        assertThat(problems).extracting(Problem::field)
                .containsExactly("artifact", "schema_version", "filter", "timeout_ms");
    }

    @Test
    void aRecordWithNullsFromAForeignProducerYieldsProblemsNotExceptions() {
        // Given a record built without the builder's checks, as a lax producer could publish it
        Subscription subscription = new Subscription();
        subscription.setInputs(new TreeMap<>());

        // When
        List<Problem> problems = validator.validate(subscription);

        // Then
        assertThat(problems).extracting(Problem::field)
                .contains("repo", "artifact", "events", "schema_version", "workflow");
    }
}
