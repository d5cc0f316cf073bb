package dev.fanout.matcher;

import dev.fanout.avro.Subscription;
import dev.fanout.avro.internal.SubscriptionChange;
import dev.fanout.config.TopologyNames;
import dev.fanout.deadletter.RejectedRecordException;
import dev.fanout.subscription.Compilation;
import dev.fanout.subscription.CompiledSubscriptionCache;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns the subscriptions topic (keyed by subscription id) into index changes keyed by artifact ref.
 *
 * <p>It remembers which artifact each subscription is indexed under, here on the subscription-id side,
 * because that is the only place that sees every version of one subscription: an update that moves a
 * subscription to another artifact (another partition of the index), a tombstone, or an invalid update
 * must remove the entry under the old artifact.
 */
final class SubscriptionRouter implements Processor<String, Subscription, String, SubscriptionChange> {

    private final CompiledSubscriptionCache cache;
    private ProcessorContext<String, SubscriptionChange> context;
    private KeyValueStore<String, String> artifacts;

    SubscriptionRouter(CompiledSubscriptionCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public void init(ProcessorContext<String, SubscriptionChange> context) {
        this.context = context;
        this.artifacts = context.getStateStore(TopologyNames.MATCHER_SUBSCRIPTION_ARTIFACTS);
    }

    @Override
    public void process(Record<String, Subscription> record) {
        String id = record.key();
        if (id == null) {
            throw new RejectedRecordException("subscription record has no key; key subscriptions by their id 'repo/name'");
        }
        Subscription subscription = record.value();
        if (subscription == null) {
            cache.remove(id);
            unindex(id, record);
            return;
        }
        Compilation compilation = cache.get(subscription);
        if (compilation instanceof Compilation.Invalid invalid) {
            // The removal is the right answer to an invalid update: the old version must stop matching too.
            unindex(id, record);
            throw new RejectedRecordException(invalid.reason());
        }
        if (!id.equals(subscription.getId())) {
            unindex(id, record);
            throw new RejectedRecordException("subscription " + subscription.getId() + " arrived under key '" + id
                    + "'; key subscriptions by their id");
        }
        String artifact = subscription.getArtifact();
        String previous = artifacts.get(id);
        if (previous != null && !previous.equals(artifact)) {
            context.forward(record.withKey(previous).withValue(new SubscriptionChange(id, null)));
        }
        artifacts.put(id, artifact);
        context.forward(record.withKey(artifact).withValue(new SubscriptionChange(id, subscription)));
    }

    private void unindex(String id, Record<String, Subscription> record) {
        String previous = artifacts.delete(id);
        if (previous != null) {
            context.forward(record.withKey(previous).withValue(new SubscriptionChange(id, null)));
        }
    }
}
