package dev.fanout.bench.pipeline;

import dev.fanout.bench.BenchContext;
import dev.fanout.bench.Measurement;
import dev.fanout.bench.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What exactly-once costs: the completions load, smaller, once under at_least_once and once under
 * exactly_once_v2, each in a fresh topology; at-least-once's figures carry their ratio to exactly-once's.
 */
public final class GuaranteeScenario implements Scenario {

    public static final int FULL_TREES = 2_000;
    public static final int QUICK_TREES = 10;

    private final int trees;
    private final int childrenPerTree;

    public GuaranteeScenario(int trees, int childrenPerTree) {
        this.trees = trees;
        this.childrenPerTree = childrenPerTree;
    }

    @Override
    public String name() {
        return "guarantee";
    }

    @Override
    public boolean warmsUpItself() {
        return true;
    }

    @Override
    public String description() {
        return String.format("%,d children across %,d trees under at_least_once and exactly_once_v2: children/s",
                (long) trees * childrenPerTree, trees);
    }

    @Override
    public List<Measurement> run(BenchContext context) {
        List<Measurement> out = new ArrayList<>();
        CompletionLoad.Result eos = load(context, StreamsConfig.EXACTLY_ONCE_V2);
        CompletionLoad.Result alo = load(context, StreamsConfig.AT_LEAST_ONCE);
        Measurement eosRate = Measurement.of(StreamsConfig.EXACTLY_ONCE_V2, eos.childrenPerSecond(), "children/s");
        out.add(eosRate);
        out.add(Measurement.of(StreamsConfig.AT_LEAST_ONCE, alo.childrenPerSecond(), "children/s").relativeTo(eosRate));
        Measurement eosCpu = Measurement.of(StreamsConfig.EXACTLY_ONCE_V2 + " topology CPU per child",
                eos.topologyCpuMicrosPerChild(), "µs");
        out.add(eosCpu);
        out.add(Measurement.of(StreamsConfig.AT_LEAST_ONCE + " topology CPU per child", alo.topologyCpuMicrosPerChild(), "µs")
                .relativeTo(eosCpu));
        return out;
    }

    private CompletionLoad.Result load(BenchContext context, String guarantee) {
        return CompletionLoad.run(context, "guarantee-" + guarantee.replace('_', '-'),
                Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee), trees, Math.max(5, trees / 20), childrenPerTree);
    }
}
