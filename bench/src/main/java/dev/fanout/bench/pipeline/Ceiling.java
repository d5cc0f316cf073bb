package dev.fanout.bench.pipeline;

import dev.fanout.bench.BenchContext;
import dev.fanout.bench.Measurement;

/**
 * The baseline of the pipeline scenarios: the ceiling's transactional produce rate of the same run. Every
 * record the topology handles is written once in a transaction (and read once), so a pipeline that moved
 * one record per child could at best reach this rate; the ratio says how far from it each figure is.
 */
final class Ceiling {

    static final String SCENARIO = "ceiling";
    static final String MEASUREMENT = "produce transactional";
    static final String UNIT = "records/s";

    private Ceiling() {
    }

    static Measurement of(BenchContext context) {
        return context.baseline(SCENARIO, MEASUREMENT, UNIT);
    }

    /** {@code m} (per second of children, triggers...) with its ratio to the ceiling's records per second. */
    static Measurement ratio(Measurement m, Measurement ceiling) {
        return new Measurement(m.name(), m.value(), m.unit(), m.value() / ceiling.value(),
                SCENARIO + " " + MEASUREMENT);
    }
}
