package dev.fanout.admission;

/**
 * Keys of the admission stores. Repository and tree ids are length-prefixed ({@code 5:svc-a}), so that no
 * id can fall inside another's range whatever characters it holds; sequences are zero-padded so that text
 * order is arrival order.
 */
final class AdmissionKeys {

    private static final int SEQUENCE_WIDTH = 19;

    private AdmissionKeys() {
    }

    /** {@code admission.runs}: a run of a repository, waiting or granted. */
    static String run(String repo, String runId) {
        return lengthPrefixed(repo) + runId;
    }

    /** {@code admission.tree-queues}: one tree's queue on one repository. */
    static String treeQueue(String repo, String treeId) {
        return lengthPrefixed(repo) + treeId;
    }

    /** {@code admission.waiting}: a request in its tree's queue. */
    static String waiting(String repo, String treeId, long sequence) {
        return waitingPrefix(repo, treeId) + padded(sequence);
    }

    /** The first key after every {@link #waiting} key of that tree and repository. */
    static String waitingEnd(String repo, String treeId) {
        return waitingPrefix(repo, treeId) + "~";
    }

    /** {@code admission.rotation}: the trees with requests waiting on a repository, in turn order. */
    static String rotation(String repo, long sequence) {
        return lengthPrefixed(repo) + padded(sequence);
    }

    static long sequenceOf(String waitingKey) {
        return Long.parseLong(waitingKey.substring(waitingKey.length() - SEQUENCE_WIDTH));
    }

    private static String waitingPrefix(String repo, String treeId) {
        return lengthPrefixed(repo) + lengthPrefixed(treeId);
    }

    private static String lengthPrefixed(String id) {
        return id.length() + ":" + id;
    }

    private static String padded(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("a sequence must not be negative: " + sequence);
        }
        String digits = Long.toString(sequence);
        return "0".repeat(Math.max(0, SEQUENCE_WIDTH - digits.length())) + digits;
    }
}
