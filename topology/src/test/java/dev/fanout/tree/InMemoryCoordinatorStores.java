package dev.fanout.tree;

import dev.fanout.config.AvroSerdes;
import dev.fanout.registry.client.InMemorySchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** The coordinator's stores ({@link CoordinatorStores}), in memory, with the serdes they have in the topology. */
final class InMemoryCoordinatorStores {

    private InMemoryCoordinatorStores() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Map<String, KeyValueStore<?, ?>> create() {
        AvroSerdes serdes = new AvroSerdes(Map.of("schema.registry.url", "http://in-memory:8081"),
                new InMemorySchemaRegistryClient());
        MockProcessorContext<String, Object> context = new MockProcessorContext<>(new Properties());
        Map<String, KeyValueStore<?, ?>> stores = new HashMap<>();
        for (CoordinatorStores.Spec spec : CoordinatorStores.all()) {
            KeyValueStore store = (KeyValueStore) Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(spec.name()),
                    (Serde) spec.keys(), (Serde) spec.values().apply(serdes)).withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            stores.put(spec.name(), store);
        }
        return stores;
    }

    static Function<String, KeyValueStore<?, ?>> lookup() {
        return create()::get;
    }
}
