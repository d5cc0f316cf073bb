package dev.fanout.tree;

import dev.fanout.avro.ArtifactEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The identities of a tree, as pure functions of the input, so that a replay (a restart, a duplicate
 * event, reprocessing) finds the same ids again instead of inventing new runs.
 */
public final class TreeIds {

    private static final int RUN_ID_BYTES = 16;
    /** One digest per thread: looking the algorithm up showed in the matcher's profile, once per child. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    });

    private TreeIds() {
    }

    /** A root event starts its own tree; an event emitted by a run belongs to that run's tree. */
    public static String treeId(ArtifactEvent event) {
        Objects.requireNonNull(event, "event");
        return event.getParent() == null ? event.getEventId() : event.getParent().getTreeId();
    }

    /** Every event is one fan-out; a run that emits several events starts several fan-outs. */
    public static String fanOutId(ArtifactEvent event) {
        return Objects.requireNonNull(event, "event").getEventId();
    }

    /**
     * {@code r-} and the hex of the first 16 bytes of SHA-256 over the parts. Each part is length-prefixed,
     * so ids that contain the separator cannot collide ({@code a|b} + {@code c} vs {@code a} + {@code b|c}).
     *
     * @param itemIndex the foreach index, or null for a subscription without foreach
     */
    public static String runId(String treeId, String fanOutId, String subscriptionId, Integer itemIndex) {
        StringBuilder text = new StringBuilder();
        for (String part : new String[] {treeId, fanOutId, subscriptionId, itemIndex == null ? "" : itemIndex.toString()}) {
            Objects.requireNonNull(part, "id part");
            text.append(part.length()).append(':').append(part).append(';');
        }
        return "r-" + HexFormat.of().formatHex(sha256(text.toString()), 0, RUN_ID_BYTES);
    }

    /**
     * The run that compensates {@code runId}: {@code c-} and the hex of the first 16 bytes of SHA-256 over
     * the compensated run's id, so a replayed compensation finds the same run.
     */
    public static String compensationRunId(String runId) {
        Objects.requireNonNull(runId, "runId");
        return "c-" + HexFormat.of().formatHex(sha256("compensation;" + runId.length() + ":" + runId + ";"), 0,
                RUN_ID_BYTES);
    }

    private static byte[] sha256(String text) {
        return SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8));
    }
}
