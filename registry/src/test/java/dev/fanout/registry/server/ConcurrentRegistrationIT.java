package dev.fanout.registry.server;

import static dev.fanout.registry.server.TestSchemas.ORDER_V1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.testkit.KafkaBrokerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Many clients registering at once, as a fleet of producers does on its first deploy. */
@ExtendWith(KafkaBrokerExtension.class)
class ConcurrentRegistrationIT {

    private static final int THREADS = 8;

    private static EmbeddedSchemaRegistry registry;
    private static RegistryClient client;

    @BeforeAll
    static void startRegistry() {
        registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(KafkaBrokerExtension.bootstrapServers())
                .port(0)
                .topic("_schemas-" + ConcurrentRegistrationIT.class.getSimpleName())
                .build()
                .start();
        client = new RegistryClient(registry.url());
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void eightClientsRegisteringOneSchemaGetOneIdAndOneVersion() throws Exception {
        // When
        List<Integer> ids = concurrently(i -> client.register("same-value", ORDER_V1));

        // Then
        assertThat(ids).hasSize(THREADS).containsOnly(ids.get(0));
        assertThat(client.get("/subjects/same-value/versions").body()).isEqualTo("[1]");
    }

    @Test
    void eightClientsRegisteringDifferentSchemasGetDistinctIdsAndVersions() throws Exception {
        // Given a subject that accepts any change
        client.put("/config/many-value", "{\"compatibility\":\"NONE\"}");

        // When
        List<Integer> ids = concurrently(i -> client.register("many-value", TestSchemas.record("Many" + i)));

        // Then
        assertThat(ids).doesNotHaveDuplicates().hasSize(THREADS);
        assertThat(client.get("/subjects/many-value/versions").body()).isEqualTo("[1,2,3,4,5,6,7,8]");
    }

    /** Runs the registration on eight threads released together; returns each thread's id. */
    private static List<Integer> concurrently(IntFunction<Integer> registration) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int index = i;
                Callable<Integer> task = () -> {
                    start.await();
                    return registration.apply(index);
                };
                futures.add(threads.submit(task));
            }
            List<Integer> ids = new ArrayList<>();
            for (Future<Integer> future : futures) {
                ids.add(future.get());
            }
            return ids;
        } finally {
            threads.shutdownNow();
        }
    }
}
