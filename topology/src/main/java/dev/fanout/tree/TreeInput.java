package dev.fanout.tree;

import dev.fanout.avro.RunStatus;
import dev.fanout.avro.internal.PlanRecord;
import java.util.Objects;

/**
 * What the coordinator reads, keyed by tree id: the matcher's plans and the workers' statuses, merged
 * into one stream so that one processor owns every store of a tree. Never serialized: both are read
 * from their repartition topics and wrapped in memory.
 */
sealed interface TreeInput {

    record Plan(PlanRecord plan) implements TreeInput {
        public Plan {
            Objects.requireNonNull(plan, "plan");
        }
    }

    record Status(RunStatus status) implements TreeInput {
        public Status {
            Objects.requireNonNull(status, "status");
        }
    }

    static TreeInput of(PlanRecord plan) {
        return new Plan(plan);
    }

    static TreeInput of(RunStatus status) {
        return new Status(status);
    }
}
