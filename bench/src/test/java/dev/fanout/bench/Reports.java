package dev.fanout.bench;

import java.util.List;

/** A report with known figures, for the tests of what is made of it. */
public final class Reports {

    private Reports() {
    }

    public static final Machine MACHINE = new Machine(2, 24L << 30, 6L << 30, "OpenJDK 17", "Linux amd64", 1.5);

    /** Three ceiling runs: produce 400k/500k/450k records/s, transactional at 0.5/0.6/0.55 of it. */
    public static BenchReport ceiling() {
        return new BenchReport(MACHINE, "2026-11-21T14:00:00Z", 3, List.of(
                run(1, 400_000, 200_000), run(2, 500_000, 300_000), run(3, 450_000, 247_500)));
    }

    private static RunResult run(int run, double produce, double tx) {
        Measurement plain = Measurement.of("produce", produce, "records/s");
        return new RunResult("ceiling", run, 12_345, new CpuShare(0.9, 0.01 * run), List.of(plain,
                Measurement.of("produce", produce * 211 / 1e6, "MB/s"),
                Measurement.of("produce transactional", tx, "records/s").relativeTo(plain)));
    }
}
