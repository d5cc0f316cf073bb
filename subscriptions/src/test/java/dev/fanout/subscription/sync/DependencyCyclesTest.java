package dev.fanout.subscription.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.DependencyCondition;
import dev.fanout.avro.DependencyMode;
import dev.fanout.avro.DependsOn;
import dev.fanout.avro.Subscription;
import dev.fanout.subscription.Fixtures;
import dev.fanout.subscription.sync.DependencyCycles.Cycle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyCyclesTest {

    /** Subscription {@code id} whose depends_on lists {@code dependencies} (none: no depends_on). */
    private static Subscription subscription(String id, String... dependencies) {
        String repo = id.substring(0, id.lastIndexOf('/'));
        return Fixtures.subscription().setRepo(repo).setId(id)
                .setDependsOn(dependencies.length == 0 ? null
                        : new DependsOn(List.of(dependencies), DependencyMode.ALL, DependencyCondition.SUCCEEDED))
                .build();
    }

    private static List<List<String>> paths(List<Cycle> cycles) {
        return cycles.stream().map(Cycle::path).toList();
    }

    @Test
    void subscriptionsWithoutDependenciesHaveNoCycle() {
        assertThat(DependencyCycles.find(List.of(subscription("svc-a/build"), subscription("docs-site/publish")))).isEmpty();
    }

    @Test
    void aSubscriptionThatDependsOnItselfIsACycleOfOne() {
        List<Cycle> cycles = DependencyCycles.find(List.of(subscription("svc-a/build", "svc-a/build")));

        assertThat(paths(cycles)).containsExactly(List.of("svc-a/build", "svc-a/build"));
    }

    @Test
    void twoSubscriptionsThatDependOnEachOtherAreACycle() {
        List<Cycle> cycles = DependencyCycles.find(List.of(
                subscription("svc-a/build", "svc-a/test"),
                subscription("svc-a/test", "svc-a/build")));

        assertThat(paths(cycles)).containsExactly(List.of("svc-a/build", "svc-a/test", "svc-a/build"));
    }

    @Test
    void aCycleAcrossThreeRepositoriesIsFoundAndNamedInDependencyOrder() {
        // Given app-b waits for svc-a, svc-a for docs-site, docs-site for app-b
        List<Cycle> cycles = DependencyCycles.find(List.of(
                subscription("svc-a/build", "docs-site/publish"),
                subscription("docs-site/publish", "app-b/deploy"),
                subscription("app-b/deploy", "svc-a/build"),
                subscription("lib-core/unrelated")));

        // Then the path starts at the smallest id and follows depends_on
        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0).message()).isEqualTo("dependency cycle: app-b/deploy -> svc-a/build -> "
                + "docs-site/publish -> app-b/deploy; remove one of these depends_on entries");
    }

    @Test
    void aDiamondIsNotACycle() {
        // Given deploy waits for test and lint, both of which wait for build
        List<Cycle> cycles = DependencyCycles.find(List.of(
                subscription("svc-a/build"),
                subscription("svc-a/test", "svc-a/build"),
                subscription("svc-a/lint", "svc-a/build"),
                subscription("svc-a/deploy", "svc-a/test", "svc-a/lint")));

        assertThat(cycles).isEmpty();
    }

    @Test
    void aListedIdThatIsNotInTheSetIsIgnored() {
        List<Cycle> cycles = DependencyCycles.find(List.of(
                subscription("svc-a/build", "other-repo/not-synced"),
                subscription("svc-a/test", "svc-a/build", "svc-a/gone")));

        assertThat(cycles).isEmpty();
    }

    @Test
    void aCycleIsFoundWhereverTheSearchStarts() {
        // Given a chain into a 2-cycle, the chain's start sorting first
        List<Cycle> cycles = DependencyCycles.find(List.of(
                subscription("a-repo/start", "m-repo/x"),
                subscription("m-repo/x", "z-repo/y"),
                subscription("z-repo/y", "m-repo/x")));

        assertThat(paths(cycles)).containsExactly(List.of("m-repo/x", "z-repo/y", "m-repo/x"));
    }

    @Test
    void separateCyclesAreEachReportedInSortedOrder() {
        List<Cycle> cycles = DependencyCycles.find(List.of(
                subscription("z-repo/one", "z-repo/two"),
                subscription("z-repo/two", "z-repo/one"),
                subscription("b-repo/self", "b-repo/self")));

        assertThat(paths(cycles)).containsExactly(
                List.of("b-repo/self", "b-repo/self"),
                List.of("z-repo/one", "z-repo/two", "z-repo/one"));
    }

    @Test
    void theSameSubscriptionsGiveTheSameCyclesInAnyOrder() {
        List<Subscription> subscriptions = new ArrayList<>(List.of(
                subscription("svc-a/build", "docs-site/publish"),
                subscription("docs-site/publish", "svc-a/build", "app-b/deploy"),
                subscription("app-b/deploy", "svc-a/build")));
        List<Cycle> forward = DependencyCycles.find(subscriptions);

        java.util.Collections.reverse(subscriptions);

        assertThat(DependencyCycles.find(subscriptions)).isEqualTo(forward).hasSize(2);
    }

    @Test
    void aLongChainDoesNotOverflowTheStack() {
        List<Subscription> chain = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            chain.add(subscription("svc-a/step-" + i, "svc-a/step-" + (i + 1)));
        }
        chain.add(subscription("svc-a/step-20000", "svc-a/step-0"));

        List<Cycle> cycles = DependencyCycles.find(chain);

        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0).path()).hasSize(20_002);
    }
}
