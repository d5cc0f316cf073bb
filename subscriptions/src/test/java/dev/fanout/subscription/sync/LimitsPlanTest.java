package dev.fanout.subscription.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.avro.RepoLimits;
import dev.fanout.subscription.discovery.ScanResult;
import dev.fanout.subscription.takofile.SourceError;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** How a sync plans the repo-limits topic: set what changed, tombstone what a readable repository dropped. */
class LimitsPlanTest {

    private final SyncPlanner planner = new SyncPlanner();

    private static Map<String, RepoLimits> topic(RepoLimits... limits) {
        return Stream.of(limits).collect(Collectors.toMap(RepoLimits::getRepo, Function.identity()));
    }

    private static ScanResult scan(Set<String> repositories, Set<String> incomplete, RepoLimits... declared) {
        List<SourceError> errors = incomplete.stream().map(path -> SourceError.ofFile(path, "broken")).toList();
        return new ScanResult(List.of(), errors, new TreeSet<>(repositories), new TreeSet<>(incomplete),
                new TreeMap<>(topic(declared)));
    }

    @Test
    void newAndChangedLimitsAreSetAndEqualOnesLeftAlone() {
        // Given deployer lowers its limit, docs declares one for the first time, api keeps its own
        ScanResult scanned = scan(Set.of("deployer", "docs", "api"), Set.of(),
                new RepoLimits("deployer", 2), new RepoLimits("docs", 1), new RepoLimits("api", 5));

        // When
        LimitsPlan plan = planner.planLimits(scanned, topic(new RepoLimits("deployer", 3), new RepoLimits("api", 5)),
                RemovalScope.SCANNED_REPOSITORIES);

        // Then
        assertThat(plan.set()).containsExactly(new RepoLimits("deployer", 2), new RepoLimits("docs", 1));
        assertThat(plan.unchanged()).containsExactly("api");
        assertThat(plan.removed()).isEmpty();
    }

    @Test
    void aReadableRepositoryThatNoLongerDeclaresLimitsLosesThem() {
        LimitsPlan plan = planner.planLimits(scan(Set.of("deployer"), Set.of()), topic(new RepoLimits("deployer", 3)),
                RemovalScope.SCANNED_REPOSITORIES);

        assertThat(plan.removed()).containsExactly("deployer");
        assertThat(plan.isEmpty()).isFalse();
    }

    @Test
    void aRepositoryWithErrorsKeepsItsLimitsBecauseLiftingACapIsTheDangerousMistake() {
        // Given deployer's file now says max_in_flight: 0, so the scan found no valid limits for it
        LimitsPlan plan = planner.planLimits(scan(Set.of("deployer"), Set.of("deployer")),
                topic(new RepoLimits("deployer", 3)), RemovalScope.SCANNED_REPOSITORIES);

        assertThat(plan.removed()).isEmpty();
        assertThat(plan.retained()).containsExactly("deployer");
    }

    @Test
    void limitsOfARepositoryOutsideTheScanStayUnlessTheRootHoldsEveryRepository() {
        Map<String, RepoLimits> current = topic(new RepoLimits("elsewhere", 4));

        assertThat(planner.planLimits(scan(Set.of("deployer"), Set.of()), current, RemovalScope.SCANNED_REPOSITORIES)
                .removed()).isEmpty();
        assertThat(planner.planLimits(scan(Set.of("deployer"), Set.of()), current, RemovalScope.WHOLE_ROOT)
                .removed()).containsExactly("elsewhere");
    }

    @Test
    void aPutSetsDeclaredLimitsAndNeverRemovesAny() {
        LimitsPlan plan = planner.planLimits(List.of(new RepoLimits("deployer", 2)),
                topic(new RepoLimits("deployer", 3), new RepoLimits("docs", 1)));

        assertThat(plan.set()).containsExactly(new RepoLimits("deployer", 2));
        assertThat(plan.removed()).isEmpty();
    }
}
