package dev.fanout.query;

import dev.fanout.avro.internal.TreeNode;
import java.util.Locale;

/** The {@code status} of {@code GET /api/trees}: running, done or all trees. */
enum TreeFilter {
    RUNNING, DONE, ALL;

    boolean accepts(TreeNode tree) {
        return this == ALL || (this == DONE) == tree.getDone();
    }

    static TreeFilter parse(String value) {
        if (value == null) {
            return ALL;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "running" -> RUNNING;
            case "done" -> DONE;
            case "all" -> ALL;
            default -> throw ApiError.badRequest("status '" + value + "' is not one of running, done, all; "
                    + "use one of them, or omit status for all trees");
        };
    }

    String parameter() {
        return name().toLowerCase(Locale.ROOT);
    }
}
