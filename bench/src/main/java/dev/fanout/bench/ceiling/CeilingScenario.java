package dev.fanout.bench.ceiling;

import dev.fanout.bench.BenchContext;
import dev.fanout.bench.Measurement;
import dev.fanout.bench.Scenario;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The broker's own rate on this machine, which no pipeline on it can beat: 200-byte records produced
 * (plain idempotent, then transactional as exactly_once_v2 writes) and consumed read_committed. The other
 * scenarios report their figures as ratios to it.
 *
 * <p>The consumer reads the transactional topic: Fanout's consumers read what exactly-once producers wrote,
 * commit markers and all. It reads the records and the one priming record per partition that the producer
 * wrote before its clock started.
 */
public final class CeilingScenario implements Scenario {

    public static final String NAME = "ceiling";
    public static final int FULL_RECORDS = 2_000_000;
    public static final int QUICK_RECORDS = 100_000;
    public static final String PRODUCE = "produce";
    public static final String PRODUCE_TRANSACTIONAL = "produce transactional";
    public static final String CONSUME = "consume read_committed";
    public static final String RECORDS_PER_S = "records/s";
    public static final String MB_PER_S = "MB/s";
    /** As many partitions as Fanout creates its topics with by default (fanout.topic.partitions). */
    static final int PARTITIONS = 3;

    private final int records;

    public CeilingScenario(int records) {
        if (records < 1) {
            throw new IllegalArgumentException("records is " + records + ": the ceiling needs at least one record");
        }
        this.records = records;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "the broker's own produce and consume rate for 200-byte records, %,d per phase",
                records);
    }

    @Override
    public List<Measurement> run(BenchContext context) throws ExecutionException, InterruptedException {
        String bootstrap = context.bootstrapServers();
        String plainTopic = "bench.ceiling.plain." + context.runId();
        String transactionalTopic = "bench.ceiling.transactional." + context.runId();
        SyntheticRecords data = new SyntheticRecords(records);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(plainTopic, PARTITIONS, (short) 1),
                    new NewTopic(transactionalTopic, PARTITIONS, (short) 1))).all().get();
            try {
                Throughput produce = ProducePhase.plain(
                        ProductionClients.producer(bootstrap, "bench-ceiling-plain-" + context.runId()), plainTopic, data);
                Throughput transactional = ProducePhase.transactional(ProductionClients.transactionalProducer(
                        bootstrap, "bench-ceiling-tx-" + context.runId()), transactionalTopic, data);
                Throughput consume = ConsumePhase.readAll(ProductionClients.readCommittedConsumer(
                        bootstrap, "bench-ceiling-consumer-" + context.runId()), transactionalTopic,
                        data.count() + (long) PARTITIONS);
                return measurements(produce, transactional, consume);
            } finally {
                // A full run writes about a gigabyte; don't keep it for the next runs to wade through.
                admin.deleteTopics(List.of(plainTopic, transactionalTopic)).all().get();
            }
        }
    }

    private static List<Measurement> measurements(Throughput produce, Throughput transactional, Throughput consume) {
        Measurement produceRate = Measurement.of(PRODUCE, produce.recordsPerSecond(), RECORDS_PER_S);
        return List.of(
                produceRate,
                Measurement.of(PRODUCE, produce.megabytesPerSecond(), MB_PER_S),
                Measurement.of(PRODUCE_TRANSACTIONAL, transactional.recordsPerSecond(), RECORDS_PER_S).relativeTo(produceRate),
                Measurement.of(PRODUCE_TRANSACTIONAL, transactional.megabytesPerSecond(), MB_PER_S),
                Measurement.of(CONSUME, consume.recordsPerSecond(), RECORDS_PER_S),
                Measurement.of(CONSUME, consume.megabytesPerSecond(), MB_PER_S));
    }
}
