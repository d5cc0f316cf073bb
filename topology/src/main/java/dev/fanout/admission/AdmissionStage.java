package dev.fanout.admission;

import static dev.fanout.config.TopologyNames.ADMISSION_LIMITS;
import static dev.fanout.config.TopologyNames.ADMISSION_REPOS;
import static dev.fanout.config.TopologyNames.ADMISSION_ROTATION;
import static dev.fanout.config.TopologyNames.ADMISSION_RUNS;
import static dev.fanout.config.TopologyNames.ADMISSION_TREE_QUEUES;
import static dev.fanout.config.TopologyNames.ADMISSION_WAITING;

import dev.fanout.avro.RepoLimits;
import dev.fanout.avro.internal.AdmissionGrant;
import dev.fanout.avro.internal.AdmissionKind;
import dev.fanout.avro.internal.AdmissionMessage;
import dev.fanout.avro.internal.AdmissionRepo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The admission stage's processor, keyed by repository: applies the coordinator's requests and releases to
 * the {@link AdmissionQueue} and sends its grants, keyed by tree id, to the coordinator.
 *
 * <p>The limits come from the global store of the repo-limits topic ({@code admission.limits}), which the
 * coordinator reads too. Before each request or release the repository's stored limit is brought up to the
 * global one, and a wall-clock punctuator does the same for every repository it knows: a raised or removed
 * limit grants waiting runs within one interval even when no run of the repository ends.
 */
final class AdmissionStage implements Processor<String, AdmissionMessage, String, AdmissionGrant> {

    private final Duration interval;
    private ProcessorContext<String, AdmissionGrant> context;
    private AdmissionQueue queue;
    private KeyValueStore<String, AdmissionRepo> repos;
    private TimestampedKeyValueStore<String, RepoLimits> limits;

    AdmissionStage(Duration interval) {
        this.interval = interval;
    }

    @Override
    public void init(ProcessorContext<String, AdmissionGrant> context) {
        this.context = context;
        repos = context.getStateStore(ADMISSION_REPOS);
        queue = new AdmissionQueue(repos, context.getStateStore(ADMISSION_RUNS),
                context.getStateStore(ADMISSION_TREE_QUEUES), context.getStateStore(ADMISSION_WAITING),
                context.getStateStore(ADMISSION_ROTATION));
        limits = context.getStateStore(ADMISSION_LIMITS);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::followLimits);
    }

    @Override
    public void process(Record<String, AdmissionMessage> record) {
        AdmissionMessage message = record.value();
        String repo = message.getRepo();
        long now = context.currentSystemTimeMs();
        send(followLimit(repo), now);
        List<AdmissionQueue.Grant> grants = message.getKind() == AdmissionKind.REQUEST
                ? queue.request(repo, message.getRunId(), message.getTreeId(), message.getAttempt())
                : queue.release(repo, message.getRunId());
        send(grants, now);
    }

    private void followLimits(long now) {
        List<String> known = new ArrayList<>();
        try (KeyValueIterator<String, AdmissionRepo> all = repos.all()) {
            while (all.hasNext()) {
                KeyValue<String, AdmissionRepo> entry = all.next();
                if (!Objects.equals(entry.value.getMaxInFlight(), limitOf(entry.key))) {
                    known.add(entry.key);
                }
            }
        }
        for (String repo : known) {
            send(followLimit(repo), now);
        }
    }

    private List<AdmissionQueue.Grant> followLimit(String repo) {
        Integer limit = limitOf(repo);
        if (Objects.equals(queue.census(repo).maxInFlight(), limit)) {
            return List.of();
        }
        return queue.limit(repo, limit);
    }

    private Integer limitOf(String repo) {
        ValueAndTimestamp<RepoLimits> found = limits.get(repo);
        return found == null || found.value() == null ? null : found.value().getMaxInFlight();
    }

    private void send(List<AdmissionQueue.Grant> grants, long now) {
        for (AdmissionQueue.Grant grant : grants) {
            context.forward(new Record<>(grant.treeId(), new AdmissionGrant(grant.repo(), grant.runId(),
                    grant.treeId(), grant.attempt()), now));
        }
    }
}
