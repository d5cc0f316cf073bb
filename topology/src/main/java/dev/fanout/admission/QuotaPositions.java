package dev.fanout.admission;

import dev.fanout.avro.internal.AdmissionRepo;
import dev.fanout.avro.internal.AdmissionRun;
import dev.fanout.avro.internal.AdmissionTreeQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A repository's quota as its admission partition sees it, read only (the query API reads it through
 * interactive queries): its counters, and for runs that wait how many runs are <em>ahead</em> of each.
 *
 * <p>Ahead is exact under {@link AdmissionQueue}'s round-robin: the number of runs of the repository that
 * will be granted before this one if no other request arrives (a new tree joins the rotation at its end, and
 * a tree's new requests join its queue's end, so arrivals can only add to it). With the trees waiting in
 * rotation order {@code t0 … tn-1}, the run's tree {@code T = tk}, {@code p} requests of {@code T} before
 * it, and {@code L(i)} requests waiting in tree {@code ti}, the run is granted in round {@code p}, so
 *
 * <pre>  ahead = p + Σ_{i&lt;k} min(L(i), p + 1) + Σ_{i&gt;k} min(L(i), p)</pre>
 *
 * <p>A run already granted (its grant is on its way to the coordinator) has none ahead; a run the stage does
 * not know (its request has not reached it yet) has no answer ({@code null}). The runs in flight are not
 * ahead: they hold slots, and {@code in_flight} counts them.
 *
 * <p>Cost: one point read per run, one range scan of the repository's rotation (a key per waiting tree),
 * and per waiting tree a range scan of at most {@code p + 1} of its requests for the largest {@code p} asked
 * about; so never more than the repository's waiting requests.
 */
public final class QuotaPositions {

    /** The repository's counters and, per run asked about, how many are ahead of it (null: not known here). */
    public record RepoQuota(String repo, Integer maxInFlight, long inFlight, long waiting, Map<String, Long> ahead) {
        public RepoQuota {
            Objects.requireNonNull(repo, "repo");
            ahead = Collections.unmodifiableMap(new LinkedHashMap<>(ahead));
        }
    }

    private final ReadOnlyKeyValueStore<String, AdmissionRepo> repos;
    private final ReadOnlyKeyValueStore<String, AdmissionRun> runs;
    private final ReadOnlyKeyValueStore<String, AdmissionTreeQueue> treeQueues;
    private final ReadOnlyKeyValueStore<String, String> waiting;
    private final ReadOnlyKeyValueStore<String, String> rotation;

    public QuotaPositions(ReadOnlyKeyValueStore<String, AdmissionRepo> repos,
                          ReadOnlyKeyValueStore<String, AdmissionRun> runs,
                          ReadOnlyKeyValueStore<String, AdmissionTreeQueue> treeQueues,
                          ReadOnlyKeyValueStore<String, String> waiting, ReadOnlyKeyValueStore<String, String> rotation) {
        this.repos = Objects.requireNonNull(repos, "repos");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.treeQueues = Objects.requireNonNull(treeQueues, "treeQueues");
        this.waiting = Objects.requireNonNull(waiting, "waiting");
        this.rotation = Objects.requireNonNull(rotation, "rotation");
    }

    /** Every repository this partition has counters for, with no runs asked about: for {@code /metrics}. */
    public List<RepoQuota> all() {
        List<RepoQuota> all = new ArrayList<>();
        try (KeyValueIterator<String, AdmissionRepo> entries = repos.all()) {
            while (entries.hasNext()) {
                KeyValue<String, AdmissionRepo> entry = entries.next();
                all.add(new RepoQuota(entry.key, entry.value.getMaxInFlight(), entry.value.getInFlight(),
                        entry.value.getWaiting(), Map.of()));
            }
        }
        return all;
    }

    /** The repository's quota, and how many are ahead of each of {@code runIds}. */
    public RepoQuota of(String repo, Collection<String> runIds) {
        Objects.requireNonNull(repo, "repo");
        AdmissionRepo counters = repos.get(repo);
        Map<String, Long> ahead = new LinkedHashMap<>();
        Map<String, Map<Long, String>> waitingByTree = new LinkedHashMap<>(); // tree → sequence → run id
        for (String runId : runIds) {
            AdmissionRun run = runs.get(AdmissionKeys.run(repo, runId));
            ahead.put(runId, run == null ? null : 0L);
            if (run != null && !run.getGranted()) {
                waitingByTree.computeIfAbsent(run.getTreeId(), tree -> new HashMap<>()).put(run.getSequence(), runId);
            }
        }
        if (counters == null || waitingByTree.isEmpty()) {
            return quota(repo, counters, ahead);
        }
        Map<String, Long> requestsBefore = new HashMap<>(); // run id → p: requests of its own tree before it
        for (Map.Entry<String, Map<Long, String>> tree : waitingByTree.entrySet()) {
            positionsInTree(repo, tree.getKey(), tree.getValue(), requestsBefore);
        }
        long deepest = requestsBefore.values().stream().mapToLong(Long::longValue).max().orElse(0);
        List<String> turns = rotationOrder(repo, counters);
        Map<String, Long> lengths = new HashMap<>(); // L(i), capped at deepest + 1: enough for every min()
        for (String tree : turns) {
            lengths.put(tree, countWaiting(repo, tree, deepest + 1));
        }
        for (Map.Entry<String, Map<Long, String>> tree : waitingByTree.entrySet()) {
            int k = turns.indexOf(tree.getKey());
            for (String runId : tree.getValue().values()) {
                Long p = requestsBefore.get(runId);
                if (p == null || k < 0) {
                    ahead.put(runId, null); // not expected: a waiting run is in its tree's queue, its tree in the rotation
                    continue;
                }
                long sum = p;
                for (int i = 0; i < turns.size(); i++) {
                    if (i != k) {
                        sum += Math.min(lengths.get(turns.get(i)), i < k ? p + 1 : p);
                    }
                }
                ahead.put(runId, sum);
            }
        }
        return quota(repo, counters, ahead);
    }

    /** For each of the tree's runs asked about (sequence → run id), how many of its tree's requests wait before it. */
    private void positionsInTree(String repo, String treeId, Map<Long, String> asked, Map<String, Long> before) {
        AdmissionTreeQueue queue = treeQueues.get(AdmissionKeys.treeQueue(repo, treeId));
        long last = asked.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        long from = queue == null ? 0 : queue.getHead();
        if (last < from) {
            return;
        }
        long count = 0;
        try (KeyValueIterator<String, String> entries = waiting.range(AdmissionKeys.waiting(repo, treeId, from),
                AdmissionKeys.waiting(repo, treeId, last))) {
            while (entries.hasNext()) {
                long sequence = AdmissionKeys.sequenceOf(entries.next().key);
                String runId = asked.get(sequence);
                if (runId != null) {
                    before.put(runId, count);
                }
                count++;
            }
        }
    }

    /** The trees in the repository's rotation, the one whose turn is next first. */
    private List<String> rotationOrder(String repo, AdmissionRepo counters) {
        List<String> trees = new ArrayList<>();
        if (counters.getRotationTail() <= counters.getRotationHead()) {
            return trees;
        }
        try (KeyValueIterator<String, String> entries = rotation.range(
                AdmissionKeys.rotation(repo, counters.getRotationHead()),
                AdmissionKeys.rotation(repo, counters.getRotationTail() - 1))) {
            entries.forEachRemaining(entry -> trees.add(entry.value));
        }
        return trees;
    }

    /** How many requests the tree has waiting on the repository, counting no further than {@code cap}. */
    private long countWaiting(String repo, String treeId, long cap) {
        AdmissionTreeQueue queue = treeQueues.get(AdmissionKeys.treeQueue(repo, treeId));
        if (queue == null) {
            return 0;
        }
        long count = 0;
        try (KeyValueIterator<String, String> entries = waiting.range(AdmissionKeys.waiting(repo, treeId, queue.getHead()),
                AdmissionKeys.waitingEnd(repo, treeId))) {
            while (count < cap && entries.hasNext()) {
                entries.next();
                count++;
            }
        }
        return count;
    }

    private static RepoQuota quota(String repo, AdmissionRepo counters, Map<String, Long> ahead) {
        return counters == null ? new RepoQuota(repo, null, 0, 0, ahead)
                : new RepoQuota(repo, counters.getMaxInFlight(), counters.getInFlight(), counters.getWaiting(), ahead);
    }
}
