package dev.fanout.tree;


/**
 * Keys that sort the way the coordinator reads them, so that a range or prefix scan is the query.
 * A fan-out id is length-prefixed: ids may contain the separator, and {@code a|b} must never fall
 * inside the range of fan-out {@code a}.
 */
public final class StoreKeys {

    private StoreKeys() {
    }

    /** Every key of one fan-out starts with this. */
    static String fanOutPrefix(String fanOutId) {
        return lengthPrefixed(fanOutId);
    }

    /** Every entry of one tree in the indexes {@code tree.children} and {@code tree.child-fan-outs} starts with this. */
    public static String treePrefix(String treeId) {
        return lengthPrefixed(treeId);
    }

    /**
     * The children of one parent: the run id, or {@code null} for the tree's root fan-out. Within it, keys
     * sort by the parent's fan-outs in the order they opened, then item index, then subscription id.
     */
    public static String childrenOf(String treeId, String parentRunId) {
        return treePrefix(treeId) + lengthPrefixed(parentRunId == null ? "" : parentRunId);
    }

    /** A child in {@code tree.children}: plan order within the parent's fan-out of that ordinal. */
    static String child(String treeId, String parentRunId, int fanOutOrdinal, Integer itemIndex, String subscriptionId) {
        String index = itemIndex == null ? "-" : padded(itemIndex, 10);
        return childrenOfFanOut(treeId, parentRunId, fanOutOrdinal) + index + "|" + subscriptionId;
    }

    /** Every child of one fan-out in {@code tree.children}: the parent's fan-out of that ordinal. */
    public static String childrenOfFanOut(String treeId, String parentRunId, int fanOutOrdinal) {
        return childrenOf(treeId, parentRunId) + padded(fanOutOrdinal, 10) + "|";
    }

    /** A fan-out in {@code tree.child-fan-outs}, under the parent that emitted it, in the order they opened. */
    static String childFanOut(String treeId, String parentRunId, int fanOutOrdinal) {
        return childrenOf(treeId, parentRunId) + padded(fanOutOrdinal, 10);
    }

    /** A fan-out in {@code tree.expected-fan-outs}: listed in a run's {@code emitted} before it opened. */
    static String expectedFanOut(String treeId, String fanOutId) {
        return treePrefix(treeId) + fanOutId;
    }

    /** A tree in {@code tree.trees-by-start}: newest first. */
    public static String treeByStart(long startedAtMs, String treeId) {
        return padded(Long.MAX_VALUE - Math.max(0, startedAtMs), 19) + "|" + treeId;
    }

    /** The first string after every key that starts with {@code prefix} (which ends with {@code |}). */
    public static String prefixEnd(String prefix) {
        return prefix.substring(0, prefix.length() - 1) + "}";
    }

    /**
     * A non-negative number in {@code width} digits, zero-padded, so that text order is number order
     * ({@code String.format} did the same at several times the cost, on every child).
     */
    static String padded(long number, int width) {
        if (number < 0) {
            throw new IllegalArgumentException("a key's number must not be negative: " + number);
        }
        String digits = Long.toString(number);
        if (digits.length() >= width) {
            return digits;
        }
        return "0".repeat(width - digits.length()) + digits;
    }

    private static String lengthPrefixed(String id) {
        return id.length() + ":" + id + "|";
    }

    /**
     * A child result in {@code tree.results} (written by Fanout 0.1.0, read by {@link FanOutResults}):
     * item index (zero-padded; none sorts first) then subscription id, the order of {@code FanOutDone.results}.
     */
    static String result(String fanOutId, Integer itemIndex, String subscriptionId) {
        String index = itemIndex == null ? "-" : padded(itemIndex, 10);
        return fanOutPrefix(fanOutId) + index + "|" + subscriptionId;
    }

    /** A queued child: the order children wait in is the order they were planned. */
    static String queued(String fanOutId, long sequence) {
        return fanOutPrefix(fanOutId) + padded(sequence, 19);
    }

    /** A sibling group in {@code tree.sibling-groups}. */
    static String siblingGroup(String fanOutId, String subscriptionId) {
        return fanOutPrefix(fanOutId) + subscriptionId;
    }

    /** Every waiting child of one subscription in a fan-out, in {@code tree.waiting}. */
    static String waitingOf(String fanOutId, String subscriptionId) {
        return fanOutPrefix(fanOutId) + lengthPrefixed(subscriptionId);
    }

    /** A child waiting for its dependencies: plan order within its subscription. */
    static String waiting(String fanOutId, String subscriptionId, long sequence) {
        return waitingOf(fanOutId, subscriptionId) + padded(sequence, 19);
    }

    /** Every compensation of one level of a fan-out, in {@code tree.compensations}. */
    static String compensationLevel(String fanOutId, int level) {
        return fanOutPrefix(fanOutId) + padded(9_999 - Math.min(level, 9_999), 4) + "|";
    }

    /** A child to compensate: highest level first, then the latest to have completed first. */
    static String compensation(String fanOutId, int level, long doneSeq) {
        return compensationLevel(fanOutId, level) + padded(999_999_999_999L - doneSeq, 12);
    }

    /** The level a key of {@link #compensation} is for. */
    static int compensationLevelOf(String fanOutId, String key) {
        int at = fanOutPrefix(fanOutId).length();
        return 9_999 - Integer.parseInt(key.substring(at, at + 4));
    }
}
