package dev.fanout.bench.pipeline;

import dev.fanout.config.FanoutConfig;
import dev.fanout.worker.FanoutWorker;
import dev.fanout.worker.RunResult;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The worker SDK answering the bench's triggers: one {@link FanoutWorker} whose handler returns
 * {@link RunResult#succeeded()} at once, so what a child costs beyond the synthetic workers' is the SDK's
 * own: its consumer group committing what is reported every 200 ms, STARTED then a final report it waits
 * for, its readers of {@code fanout-done} and {@code run-cancellations}.
 *
 * <p>It runs in the bench's JVM, as threads, rather than in a process of its own: it has its own clients
 * (consumer, producer, registry client), so the broker sees what it would from a worker process, and its
 * CPU time is counted in the bench's JVM, so "all CPU per child" includes it. A process would add only
 * its own JIT warm-up and heap, which a deployed worker has paid long before. One instance, because the
 * triggers are keyed by subscriber repository and the bench's trees are one repository's: a second
 * instance in the group would get no partition with work on it.
 */
final class SdkWorkers implements CompletionLoad.Workers {

    /**
     * Runs at once per instance. A handler that does nothing leaves the SDK's round trips (the final
     * report waited for, the offset committed) as the whole cost of a run, so the pool is large enough to
     * overlap them, as a worker for short runs would be configured.
     */
    static final int CONCURRENCY = 16;

    private final FanoutWorker worker;

    /** Starts a worker for the bench's workflow in {@code repos}; its group reads from the earliest trigger. */
    SdkWorkers(Pipeline pipeline, Set<String> repos) {
        Objects.requireNonNull(pipeline, "pipeline");
        FanoutWorker.Builder builder = FanoutWorker.builder()
                .bootstrapServers(pipeline.bootstrapServers())
                .schemaRegistryUrl((String) pipeline.clientSettings().get("schema.registry.url"))
                .groupId(pipeline.clientSettings().get(FanoutConfig.TOPIC_PREFIX) + "sdk-workers")
                .topicPrefix((String) pipeline.clientSettings().get(FanoutConfig.TOPIC_PREFIX))
                .concurrency(CONCURRENCY)
                .shutdownGracePeriod(Duration.ofSeconds(5));
        for (String repo : repos) {
            builder.handle(repo, Workload.WORKFLOW, run -> RunResult.succeeded());
        }
        this.worker = builder.build().start();
    }

    /**
     * Nothing to rethrow: the SDK logs a report it could not send and delivers that trigger again, so a
     * failure shows as a tree that ends late, which the wait for the trees names.
     */
    @Override
    public void check() {
    }

    @Override
    public void close() {
        worker.close();
    }
}
