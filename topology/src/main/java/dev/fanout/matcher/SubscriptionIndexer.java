package dev.fanout.matcher;

import dev.fanout.avro.Subscription;
import dev.fanout.avro.internal.SubscriptionChange;
import dev.fanout.config.TopologyNames;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Applies index changes, keyed by artifact ref, to the partition's {@link SubscriptionIndex}. */
final class SubscriptionIndexer implements Processor<String, SubscriptionChange, Void, Void> {

    private SubscriptionIndex index;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        KeyValueStore<String, Subscription> store = context.getStateStore(TopologyNames.MATCHER_SUBSCRIPTION_INDEX);
        index = new SubscriptionIndex(store);
    }

    @Override
    public void process(Record<String, SubscriptionChange> record) {
        SubscriptionChange change = record.value();
        if (change.getSubscription() == null) {
            index.remove(record.key(), change.getSubscriptionId());
        } else {
            index.put(record.key(), change.getSubscription());
        }
    }
}
