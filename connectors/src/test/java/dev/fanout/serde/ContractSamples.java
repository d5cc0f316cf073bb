package dev.fanout.serde;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** The schemas module's sample of every record type of the wire contract, for the converter's tests. */
public final class ContractSamples {

    private ContractSamples() {
    }

    public static List<SpecificRecord> all() {
        return SampleRecords.all();
    }

    public static dev.fanout.avro.TreeDone treeDone() {
        return SampleRecords.treeDone();
    }
}
