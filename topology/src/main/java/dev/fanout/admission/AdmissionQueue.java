package dev.fanout.admission;

import dev.fanout.avro.internal.AdmissionRepo;
import dev.fanout.avro.internal.AdmissionRun;
import dev.fanout.avro.internal.AdmissionTreeQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decides which runs of a repository may be triggered under its {@code max_in_flight}, across all trees:
 * the state of the admission stage, keyed by repository, kept in five stores so that no record grows with
 * the number of runs or trees waiting.
 *
 * <p>Wired by {@link AdmissionTopology}: {@link AdmissionStage} feeds it the coordinator's requests and releases
 * and the repositories' limits, and sends its grants back to the coordinator of each run's tree.
 *
 * <p>Fairness is round-robin across trees, plan order within a tree: each repository has a rotation of the
 * trees that have requests waiting ({@code rotation}: {@code repo|sequence → tree id}), and each tree a
 * FIFO of its requests ({@code waiting}: {@code repo|tree|sequence → run id}). A free slot goes to the
 * oldest request of the tree at the head of the rotation, and that tree goes to the back if it has more
 * waiting. So a tree of 10 that arrives after a tree of 100,000 gets every other grant, not the last ten.
 *
 * <p>Exactly once: every decision is a store write in the same Streams transaction as the input that
 * caused it and the grants it sends. A run is known under {@code repo|runId} ({@code runs}), so a second
 * release of it (a replay, or a release that crosses a grant) finds nothing and frees nothing; a request
 * for an attempt it already has, or an older one, changes nothing.
 *
 * <p>A lowered limit takes effect for the next grant: runs already granted keep their slots, and nothing
 * is granted until fewer than the new limit are in flight. A removed limit grants everything waiting.
 */
public final class AdmissionQueue {

    /** A run that may now be triggered: the grant the coordinator of its tree receives. */
    public record Grant(String repo, String runId, String treeId, int attempt) {
        public Grant {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(treeId, "treeId");
        }
    }

    /** A repository's counters, for metrics and the query API. */
    public record Census(long inFlight, long waiting, Integer maxInFlight) {
    }

    private final KeyValueStore<String, AdmissionRepo> repos;
    private final KeyValueStore<String, AdmissionRun> runs;
    private final KeyValueStore<String, AdmissionTreeQueue> treeQueues;
    private final KeyValueStore<String, String> waiting;
    private final KeyValueStore<String, String> rotation;

    public AdmissionQueue(KeyValueStore<String, AdmissionRepo> repos, KeyValueStore<String, AdmissionRun> runs,
                          KeyValueStore<String, AdmissionTreeQueue> treeQueues, KeyValueStore<String, String> waiting,
                          KeyValueStore<String, String> rotation) {
        this.repos = Objects.requireNonNull(repos, "repos");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.treeQueues = Objects.requireNonNull(treeQueues, "treeQueues");
        this.waiting = Objects.requireNonNull(waiting, "waiting");
        this.rotation = Objects.requireNonNull(rotation, "rotation");
    }

    /** A run asks for a slot: granted at once if one is free, else it waits its turn. Returns the grants. */
    public List<Grant> request(String repo, String runId, String treeId, int attempt) {
        List<Grant> grants = new ArrayList<>();
        AdmissionRun known = runs.get(AdmissionKeys.run(repo, runId));
        if (known != null) {
            if (known.getAttempt() >= attempt) {
                return grants; // a replayed or stale request
            }
            grants.addAll(release(repo, runId)); // a retry whose previous attempt was never released
        }
        AdmissionRepo counters = counters(repo);
        if (hasFreeSlot(counters)) {
            counters.setInFlight(counters.getInFlight() + 1);
            runs.put(AdmissionKeys.run(repo, runId), new AdmissionRun(treeId, attempt, true, 0L));
            grants.add(new Grant(repo, runId, treeId, attempt));
        } else {
            enqueue(repo, counters, runId, treeId, attempt);
        }
        repos.put(repo, counters);
        return grants;
    }

    /**
     * A run gives its slot back (its attempt ended, it waits for a retry's backoff) or stops waiting (its
     * fan-out timed out, failed fast or was cancelled). A run that is not known changes nothing.
     */
    public List<Grant> release(String repo, String runId) {
        AdmissionRun known = runs.delete(AdmissionKeys.run(repo, runId));
        if (known == null) {
            return List.of();
        }
        AdmissionRepo counters = counters(repo);
        if (known.getGranted()) {
            counters.setInFlight(Math.max(0, counters.getInFlight() - 1));
        } else {
            waiting.delete(AdmissionKeys.waiting(repo, known.getTreeId(), known.getSequence()));
            counters.setWaiting(Math.max(0, counters.getWaiting() - 1));
        }
        List<Grant> grants = grantWhileFree(repo, counters);
        repos.put(repo, counters);
        return grants;
    }

    /** The repository's limit changed ({@code null}: it has none any more). Returns the grants it allows. */
    public List<Grant> limit(String repo, Integer maxInFlight) {
        AdmissionRepo counters = counters(repo);
        counters.setMaxInFlight(maxInFlight);
        List<Grant> grants = grantWhileFree(repo, counters);
        repos.put(repo, counters);
        return grants;
    }

    /** Whether runs of {@code repo} must ask for a slot. */
    public boolean isLimited(String repo) {
        AdmissionRepo counters = repos.get(repo);
        return counters != null && counters.getMaxInFlight() != null;
    }

    public Census census(String repo) {
        AdmissionRepo counters = counters(repo);
        return new Census(counters.getInFlight(), counters.getWaiting(), counters.getMaxInFlight());
    }

    private void enqueue(String repo, AdmissionRepo counters, String runId, String treeId, int attempt) {
        AdmissionTreeQueue queue = treeQueues.get(AdmissionKeys.treeQueue(repo, treeId));
        if (queue == null) {
            queue = new AdmissionTreeQueue(0L, 0L);
            rotation.put(AdmissionKeys.rotation(repo, counters.getRotationTail()), treeId);
            counters.setRotationTail(counters.getRotationTail() + 1);
        }
        long sequence = queue.getTail();
        waiting.put(AdmissionKeys.waiting(repo, treeId, sequence), runId);
        runs.put(AdmissionKeys.run(repo, runId), new AdmissionRun(treeId, attempt, false, sequence));
        queue.setTail(sequence + 1);
        treeQueues.put(AdmissionKeys.treeQueue(repo, treeId), queue);
        counters.setWaiting(counters.getWaiting() + 1);
    }

    /** Grants the oldest request of the tree whose turn it is, tree after tree, while slots are free. */
    private List<Grant> grantWhileFree(String repo, AdmissionRepo counters) {
        List<Grant> grants = new ArrayList<>();
        while (hasFreeSlot(counters) && counters.getWaiting() > 0
                && counters.getRotationHead() < counters.getRotationTail()) {
            String turnKey = AdmissionKeys.rotation(repo, counters.getRotationHead());
            String treeId = rotation.delete(turnKey);
            counters.setRotationHead(counters.getRotationHead() + 1);
            if (treeId == null) {
                continue;
            }
            String queueKey = AdmissionKeys.treeQueue(repo, treeId);
            AdmissionTreeQueue queue = treeQueues.get(queueKey);
            KeyValue<String, String> oldest = queue == null ? null : oldestWaiting(repo, treeId, queue);
            if (oldest == null) {
                treeQueues.delete(queueKey); // every request it had was released while waiting
                continue;
            }
            waiting.delete(oldest.key);
            String runId = oldest.value;
            AdmissionRun run = runs.get(AdmissionKeys.run(repo, runId));
            queue.setHead(AdmissionKeys.sequenceOf(oldest.key) + 1);
            if (oldestWaiting(repo, treeId, queue) == null) {
                treeQueues.delete(queueKey);
            } else {
                treeQueues.put(queueKey, queue);
                rotation.put(AdmissionKeys.rotation(repo, counters.getRotationTail()), treeId);
                counters.setRotationTail(counters.getRotationTail() + 1);
            }
            if (run == null || run.getGranted()) {
                continue; // not expected: the run entry and its place in the queue go together
            }
            run.setGranted(true);
            runs.put(AdmissionKeys.run(repo, runId), run);
            counters.setWaiting(counters.getWaiting() - 1);
            counters.setInFlight(counters.getInFlight() + 1);
            grants.add(new Grant(repo, runId, treeId, run.getAttempt()));
        }
        return grants;
    }

    private KeyValue<String, String> oldestWaiting(String repo, String treeId, AdmissionTreeQueue queue) {
        String from = AdmissionKeys.waiting(repo, treeId, queue.getHead());
        String to = AdmissionKeys.waitingEnd(repo, treeId);
        try (KeyValueIterator<String, String> entries = waiting.range(from, to)) {
            return entries.hasNext() ? entries.next() : null;
        }
    }

    private AdmissionRepo counters(String repo) {
        AdmissionRepo counters = repos.get(repo);
        return counters != null ? counters : new AdmissionRepo(null, 0L, 0L, 0L, 0L);
    }

    private static boolean hasFreeSlot(AdmissionRepo counters) {
        Integer limit = counters.getMaxInFlight();
        return limit == null || counters.getInFlight() < limit;
    }
}
