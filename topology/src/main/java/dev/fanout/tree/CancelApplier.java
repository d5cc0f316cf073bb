package dev.fanout.tree;

import dev.fanout.avro.Cancellation;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.TreeNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a cancel request (topic {@code tree-cancel}, from the query API or {@code fanout cancel}): the tree
 * records who cancelled it and when (the coordinator's clock), and every fan-out of it that still counts its
 * children stops ({@link Stops#cancel}); fan-outs that open later are cancelled as they open. The tree ends
 * once its fan-outs have drained and compensated, with TreeDone FAILED and {@code cancelled} set.
 *
 * <p>A request for an unknown tree, a tree that is done or one already cancelled changes nothing: the API
 * answers those itself, and a repeated request is harmless.
 */
final class CancelApplier {

    private static final Logger LOG = LoggerFactory.getLogger(CancelApplier.class);

    private final TreeState state;
    private final Stops stops;

    CancelApplier(TreeState state, Stops stops) {
        this.state = state;
        this.stops = stops;
    }

    void apply(TreeCancel cancel, long nowMs) {
        TreeNode tree = state.tree(cancel.getTreeId());
        if (tree == null || tree.getDone() || tree.getCancelled() != null) {
            LOG.info("cancel of tree {} changes nothing: {}", cancel.getTreeId(),
                    tree == null ? "unknown tree" : tree.getDone() ? "the tree is done" : "already cancelled");
            return;
        }
        Cancellation cancellation = Cancellation.newBuilder().setReason(cancel.getReason())
                .setRequestedBy(cancel.getRequestedBy()).setRequestedAt(Instant.ofEpochMilli(nowMs)).build();
        tree.setCancelled(cancellation);
        state.save(tree, nowMs);
        for (String fanOutId : fanOutsOf(tree.getTreeId())) {
            FanOutNode fanOut = state.fanOut(fanOutId);
            if (fanOut != null) {
                stops.cancel(fanOut, cancellation, nowMs);
            }
        }
    }

    private List<String> fanOutsOf(String treeId) {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, String> fanOuts = state.childFanOuts()
                .prefixScan(StoreKeys.treePrefix(treeId), Serdes.String().serializer())) {
            fanOuts.forEachRemaining(entry -> ids.add(entry.value));
        }
        return ids;
    }
}
