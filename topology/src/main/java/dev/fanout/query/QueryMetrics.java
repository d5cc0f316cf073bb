package dev.fanout.query;

import dev.fanout.admission.QuotaPositions.RepoQuota;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * {@code /metrics}: a Prometheus registry with the JVM's metrics and every Kafka Streams metric of the
 * instance, the coordinator's own group {@code fanout-tree} among them. Streams creates task metrics
 * when tasks are assigned, and the Micrometer binder only looks for new ones every minute, so the binder
 * is bound again each time the instance reaches RUNNING (after every rebalance).
 *
 * <p>The repositories' quotas ({@code fanout_quota_*}, tag {@code repo}) are read at each scrape from the
 * admission stores of this instance's partitions, so each repository is reported by the one instance whose
 * admission partition holds it; no counter is kept in memory.
 */
final class QueryMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private KafkaStreamsMetrics streamsMetrics;
    private final MultiGauge quotaInFlight = MultiGauge.builder("fanout.quota.in.flight")
            .description("Runs of the repository triggered and not yet ended, under its max_in_flight").register(registry);
    private final MultiGauge quotaWaiting = MultiGauge.builder("fanout.quota.waiting")
            .description("Runs of the repository waiting for a slot of its max_in_flight (QUOTA_WAIT)").register(registry);
    private final MultiGauge quotaMax = MultiGauge.builder("fanout.quota.max.in.flight")
            .description("The repository's max_in_flight; absent when it has none").register(registry);
    private TreeLocator quotas;

    QueryMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Binds Kafka Streams' current metrics (call when it reaches RUNNING: its tasks exist then). */
    synchronized void bind(KafkaStreams streams) {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
    }

    /** Reads the repositories' quotas from {@code locator}'s admission partitions at each scrape. */
    synchronized void quotasFrom(TreeLocator locator) {
        this.quotas = locator;
    }

    synchronized String scrape() {
        List<RepoQuota> local = List.of();
        if (quotas != null) {
            try {
                local = QuotaReader.local(quotas);
            } catch (ApiError | InvalidStateStoreException notNow) {
                // not RUNNING, or partitions moving: no quota rows until they are readable again
            }
        }
        quotaInFlight.register(rows(local, quota -> true, RepoQuota::inFlight), true);
        quotaWaiting.register(rows(local, quota -> true, RepoQuota::waiting), true);
        quotaMax.register(rows(local, quota -> quota.maxInFlight() != null, RepoQuota::maxInFlight), true);
        return registry.scrape();
    }

    /** The current quota figures as the rows of a gauge, one per repository. */
    static List<MultiGauge.Row<?>> rows(List<RepoQuota> quotas, Predicate<RepoQuota> shown,
                                        ToDoubleFunction<RepoQuota> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (RepoQuota quota : quotas) {
            if (shown.test(quota)) {
                rows.add(MultiGauge.Row.of(Tags.of("repo", quota.repo()), value.applyAsDouble(quota)));
            }
        }
        return rows;
    }

    @Override
    public synchronized void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        gc.close();
        registry.close();
    }
}
