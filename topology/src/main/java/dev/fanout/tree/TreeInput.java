package dev.fanout.tree;

import dev.fanout.avro.RunStatus;
import dev.fanout.avro.TreeCancel;
import dev.fanout.avro.internal.AdmissionGrant;
import dev.fanout.avro.internal.PlanRecord;
import java.util.Objects;

/**
 * What the coordinator reads, keyed by tree id: the matcher's plans, the workers' statuses, cancel requests and admission grants, merged
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

    record Cancel(TreeCancel cancel) implements TreeInput {
        public Cancel {
            Objects.requireNonNull(cancel, "cancel");
        }
    }

    record Grant(AdmissionGrant grant) implements TreeInput {
        public Grant {
            Objects.requireNonNull(grant, "grant");
        }
    }

    static TreeInput of(PlanRecord plan) {
        return new Plan(plan);
    }

    static TreeInput of(RunStatus status) {
        return new Status(status);
    }

    static TreeInput of(TreeCancel cancel) {
        return new Cancel(cancel);
    }

    static TreeInput of(AdmissionGrant grant) {
        return new Grant(grant);
    }
}
