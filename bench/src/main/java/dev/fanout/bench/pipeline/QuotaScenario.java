package dev.fanout.bench.pipeline;

import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.Subscription;
import dev.fanout.bench.BenchContext;
import dev.fanout.bench.Measurement;
import dev.fanout.bench.Scenario;
import dev.fanout.config.Topic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a repository's {@code max_in_flight} costs: the completions load, each time in a fresh topology, with
 * no limit, then with a limit on every subscriber repository that the load can never reach (every child
 * still makes the round trip through the admission stage: a request and a release, each a record and a
 * transaction of that stage), then, smaller, under a limit that binds (one tree's width in flight per
 * repository). The limited runs' figures carry their ratio to the unlimited one's of the same run.
 */
public final class QuotaScenario implements Scenario {

    public static final int FULL_TREES = 2_000;
    public static final int QUICK_TREES = 10;

    static final String NO_LIMIT = "no max_in_flight";
    static final String LIMIT_NOT_REACHED = "max_in_flight not reached";

    private final int trees;
    private final int childrenPerTree;

    public QuotaScenario(int trees, int childrenPerTree) {
        if (trees < 1 || childrenPerTree < 1) {
            throw new IllegalArgumentException("quota needs at least 1 tree of 1 child: " + trees + " x " + childrenPerTree);
        }
        this.trees = trees;
        this.childrenPerTree = childrenPerTree;
    }

    @Override
    public String name() {
        return "quota";
    }

    @Override
    public boolean warmsUpItself() {
        return true;
    }

    @Override
    public String description() {
        return String.format("%,d children across %,d trees without and with a max_in_flight it never reaches, "
                        + "and %,d under a max_in_flight of %,d: children/s as a ratio to no limit",
                (long) trees * childrenPerTree, trees, (long) bindingTrees() * childrenPerTree, childrenPerTree);
    }

    @Override
    public List<Measurement> run(BenchContext context) {
        int warmup = warmup(trees);
        CompletionLoad.Result plain = CompletionLoad.run(context, "quota-none", Map.of(), trees, warmup, childrenPerTree);
        // A limit above every child the load has: never reached, so it measures the admission stage's overhead.
        int unreachable = (trees + warmup) * childrenPerTree;
        CompletionLoad.Result limited = CompletionLoad.run(context, "quota-unreached", Map.of(), trees, warmup,
                childrenPerTree, new Limit(unreachable));
        int binding = bindingTrees();
        CompletionLoad.Result throttled = CompletionLoad.run(context, "quota-binding", Map.of(), binding, warmup(binding),
                childrenPerTree, new Limit(childrenPerTree));

        List<Measurement> out = new ArrayList<>();
        Measurement plainRate = Measurement.of(NO_LIMIT, plain.childrenPerSecond(), "children/s");
        out.add(plainRate);
        out.add(Measurement.of(LIMIT_NOT_REACHED, limited.childrenPerSecond(), "children/s").relativeTo(plainRate));
        out.add(Measurement.of("max_in_flight " + childrenPerTree + " (binding, " + binding + " trees)",
                throttled.childrenPerSecond(), "children/s").relativeTo(plainRate));
        Measurement plainCpu = Measurement.of(NO_LIMIT + " topology CPU per child", plain.topologyCpuMicrosPerChild(), "µs");
        out.add(plainCpu);
        out.add(Measurement.of(LIMIT_NOT_REACHED + " topology CPU per child", limited.topologyCpuMicrosPerChild(), "µs")
                .relativeTo(plainCpu));
        return out;
    }

    /** The binding variant's trees: fewer, since the limit, not the pipeline, sets its pace. */
    private int bindingTrees() {
        return Math.max(5, trees / 20);
    }

    private static int warmup(int trees) {
        return Math.max(5, trees / 20);
    }

    /**
     * Declares {@code maxInFlight} for every subscriber repository of the load, as {@code fanout subscriptions
     * sync} does, and checks afterwards that every timed child went through the admission stage.
     */
    private record Limit(int maxInFlight) implements CompletionLoad.Around {

        @Override
        public void subscribed(Pipeline pipeline, Workload workload) {
            Topic<String, RepoLimits> limits = pipeline.topics().repoLimits();
            Set<String> repos = new LinkedHashSet<>();
            for (Subscription subscription : workload.subscriptions()) {
                repos.add(subscription.getRepo());
            }
            try (KafkaProducer<String, RepoLimits> producer = new KafkaProducer<>(
                    Clients.producer(pipeline.bootstrapServers(), "bench-repo-limits"), new StringSerializer(),
                    limits.valueSerde().serializer())) {
                for (String repo : repos) {
                    producer.send(new ProducerRecord<>(limits.name(), repo,
                            RepoLimits.newBuilder().setRepo(repo).setMaxInFlight(maxInFlight).build()));
                }
                producer.flush();
            }
        }

        /** A request and a release per child, at least: otherwise the limit was not in force, and the figure is void. */
        @Override
        public void done(Pipeline pipeline, Workload workload, long timedChildren) {
            long records = records(pipeline, pipeline.topics().admission().name());
            if (records < 2 * timedChildren) {
                throw new IllegalStateException("the admission topic holds " + records + " records after " + timedChildren
                        + " children under max_in_flight " + maxInFlight + ", fewer than a request and a release per "
                        + "child: the topology did not apply the limit, so the run measured nothing of it");
            }
        }

        private static long records(Pipeline pipeline, String topic) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (int p = 0; p < Pipeline.PARTITIONS; p++) {
                ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", pipeline.bootstrapServers()))) {
                return admin.listOffsets(ends).all().get().values().stream().mapToLong(info -> info.offset()).sum();
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e.getCause(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the end offsets of " + topic, e);
            }
        }
    }
}
