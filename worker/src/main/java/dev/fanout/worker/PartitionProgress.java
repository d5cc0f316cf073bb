package dev.fanout.worker;

import java.util.TreeSet;

/**
 * Which offsets of one partition are still open (received, not yet reported), so that the committed
 * offset never passes a trigger whose run has not been reported, whatever order runs finish in.
 */
final class PartitionProgress {

    private final TreeSet<Long> open = new TreeSet<>();
    private long next = -1;
    private long committed = -1;

    void received(long offset) {
        open.add(offset);
        next = Math.max(next, offset + 1);
    }

    void done(long offset) {
        open.remove(offset);
    }

    /** The offset to commit (the first open one, or past the last received), or -1 if nothing new. */
    long toCommit() {
        long candidate = open.isEmpty() ? next : open.first();
        return candidate > committed ? candidate : -1;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }
}
