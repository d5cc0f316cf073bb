package dev.fanout.cli.subscriptions;

import dev.fanout.avro.Subscription;
import java.util.List;
import java.util.Map;

/** Small valid subscriptions for tests. */
final class Subscriptions {
    private Subscriptions() {
    }

    static Subscription subscription(String repo, String name) {
        return Subscription.newBuilder()
                .setId(repo + "/" + name)
                .setRepo(repo)
                .setArtifact("lib-core:release")
                .setEvents(List.of("published"))
                .setSchemaVersion("^1.0.0")
                .setWorkflow("build")
                .setInputs(Map.of())
                .build();
    }
}
