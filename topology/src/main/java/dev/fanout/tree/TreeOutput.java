package dev.fanout.tree;

import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.TreeDone;
import dev.fanout.avro.TreeProgress;
import dev.fanout.avro.Trigger;
import dev.fanout.avro.internal.AdmissionMessage;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the coordinator writes, one case per output topic; the topology splits them by case. Never
 * serialized: unwrapped in memory before each topic's sink.
 */
sealed interface TreeOutput {

    SpecificRecord value();

    record Release(Trigger value) implements TreeOutput {
    }

    record FanOutFinished(FanOutDone value) implements TreeOutput {
    }

    record TreeFinished(TreeDone value) implements TreeOutput {
    }

    record Progress(TreeProgress value) implements TreeOutput {
    }

    record RunCancelled(RunCancellation value) implements TreeOutput {
    }

    record ToAdmission(AdmissionMessage value) implements TreeOutput {
    }
}
