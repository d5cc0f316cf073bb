package dev.fanout.subscription;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Valid records to start tests from; each test changes only what it is about. */
public final class Fixtures {

    private Fixtures() {
    }

    /** app-b/on-release: listens to lib-core:release published events with schema ^1.2.0, no filter. */
    public static Subscription.Builder subscription() {
        return Subscription.newBuilder()
                .setId("app-b/on-release")
                .setRepo("app-b")
                .setArtifact("lib-core:release")
                .setEvents(List.of("published"))
                .setSchemaVersion("^1.2.0")
                .setWorkflow("rebuild")
                .setInputs(new TreeMap<>(Map.of("version", "event.payload.version")));
    }

    /** A lib-core:release published event at schema 1.4.0 with a stable channel and two targets. */
    public static ArtifactEvent.Builder event() {
        return ArtifactEvent.newBuilder()
                .setEventId("evt-1")
                .setArtifact("lib-core:release")
                .setEventType("published")
                .setSchemaVersion("1.4.0")
                .setPayload("{\"version\":\"1.4.0\",\"channel\":\"stable\",\"targets\":[\"eu\",\"us\"]}")
                .setProducedAt(Instant.parse("2025-01-01T00:00:00Z"))
                .setSourceRepo("lib-core");
    }

    public static CompiledSubscription compile(Subscription subscription) {
        Compilation compilation = SubscriptionCompiler.withDefaults().compile(subscription);
        if (!(compilation instanceof Compilation.Valid valid)) {
            throw new AssertionError("fixture does not compile: " + ((Compilation.Invalid) compilation).reason());
        }
        return valid.compiled();
    }
}
