package dev.fanout.subscription.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.Subscription;
import dev.fanout.subscription.Fixtures;
import dev.fanout.subscription.discovery.ScanResult;
import dev.fanout.subscription.takofile.SourceError;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SyncPlannerTest {

    private final SyncPlanner planner = new SyncPlanner();

    private static Subscription subscription(String repo, String name) {
        return Fixtures.subscription().setRepo(repo).setId(repo + "/" + name).build();
    }

    private static Map<String, Subscription> topic(Subscription... subscriptions) {
        return Stream.of(subscriptions).collect(Collectors.toMap(Subscription::getId, Function.identity()));
    }

    private static ScanResult scan(List<Subscription> found, Set<String> repositories, Set<String> incomplete) {
        List<SourceError> errors = incomplete.stream().map(path -> SourceError.ofFile(path, "broken")).toList();
        return new ScanResult(found, errors, new java.util.TreeSet<>(repositories), new java.util.TreeSet<>(incomplete));
    }

    @Test
    void aDiffSortsEverySubscriptionIntoAddedChangedRemovedOrUnchanged() {
        // Given
        Subscription kept = subscription("app-a", "kept");
        Subscription edited = subscription("app-a", "edited");
        Subscription editedNow = Subscription.newBuilder(edited).setSchemaVersion("^2.0.0").build();
        Subscription gone = subscription("app-a", "gone");
        Subscription fresh = subscription("app-a", "fresh");

        // When
        SyncPlan plan = planner.plan(List.of(kept, editedNow, fresh), topic(kept, edited, gone));

        // Then
        assertThat(plan.added()).containsExactly(fresh);
        assertThat(plan.changed()).containsExactly(new SyncPlan.Change(edited, editedNow));
        assertThat(plan.removed()).containsExactly(gone);
        assertThat(plan.unchanged()).containsExactly("app-a/kept");
        assertThat(plan.isEmpty()).isFalse();
    }

    @Test
    void anIdenticalTopicNeedsNothing() {
        Subscription one = subscription("app-a", "one");

        SyncPlan plan = planner.plan(List.of(Subscription.newBuilder(one).build()), topic(one));

        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.unchanged()).containsExactly("app-a/one");
    }

    @Test
    void aRepositoryWithErrorsKeepsItsSubscriptionsOnTheTopic() {
        // Given app-b's tako.yml no longer parses, so none of its subscriptions were found
        Subscription existing = subscription("app-b", "on-release");
        ScanResult result = scan(List.of(), Set.of("app-b"), Set.of("app-b"));

        // When
        SyncPlan plan = planner.plan(result, topic(existing), RemovalScope.WHOLE_ROOT);

        // Then
        assertThat(plan.removed()).isEmpty();
        assertThat(plan.retained()).containsExactly("app-b/on-release");
    }

    @Test
    void anUnreadableOwnerFolderProtectsEveryRepositoryBelowIt() {
        Subscription existing = subscription("acme/svc-a", "build");
        ScanResult result = scan(List.of(), Set.of(), Set.of("acme"));

        SyncPlan plan = planner.plan(result, topic(existing), RemovalScope.WHOLE_ROOT);

        assertThat(plan.retained()).containsExactly("acme/svc-a/build");
    }

    @Test
    void aRepositoryThatIsGoneFromTheRootIsRemovedWhenTheRootHoldsEveryRepository() {
        Subscription orphan = subscription("retired", "build");
        ScanResult result = scan(List.of(), Set.of("app-a"), Set.of());

        SyncPlan plan = planner.plan(result, topic(orphan), RemovalScope.WHOLE_ROOT);

        assertThat(plan.removed()).containsExactly(orphan);
    }

    @Test
    void otherRepositoriesAreLeftAloneWhenOnlyScannedRepositoriesAreInScope() {
        // Given
        Subscription elsewhere = subscription("other-team", "build");
        Subscription dropped = subscription("app-a", "dropped");
        ScanResult result = scan(List.of(), Set.of("app-a"), Set.of());

        // When
        SyncPlan plan = planner.plan(result, topic(elsewhere, dropped), RemovalScope.SCANNED_REPOSITORIES);

        // Then
        assertThat(plan.removed()).containsExactly(dropped);
        assertThat(plan.retained()).isEmpty();
    }
}
