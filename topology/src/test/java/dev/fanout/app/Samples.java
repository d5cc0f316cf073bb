package dev.fanout.app;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.ParentRef;
import dev.fanout.avro.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Subscriptions and events for topology tests: valid by default, changed with the builders. */
public final class Samples {

    public static final String ARTIFACT = "lib-core:release";
    public static final Instant PRODUCED_AT = Instant.parse("2026-01-05T10:00:00Z");

    private Samples() {
    }

    /** {@code repo/name} subscribed to {@code lib-core:release} published events of ^1.0.0, workflow build. */
    public static Subscription.Builder subscription(String repo, String name) {
        return Subscription.newBuilder()
                .setId(repo + "/" + name)
                .setRepo(repo)
                .setArtifact(ARTIFACT)
                .setEvents(List.of("published"))
                .setSchemaVersion("^1.0.0")
                .setWorkflow("build")
                .setInputs(Map.of());
    }

    /** A root {@code published} event on {@code lib-core:release}, schema 1.2.0, payload {"channel":"stable"}. */
    public static ArtifactEvent.Builder event(String eventId) {
        return ArtifactEvent.newBuilder()
                .setEventId(eventId)
                .setArtifact(ARTIFACT)
                .setEventType("published")
                .setSchemaVersion("1.2.0")
                .setPayload("{\"channel\":\"stable\",\"targets\":[\"linux\",\"mac\"]}")
                .setProducedAt(PRODUCED_AT)
                .setSourceRepo("lib-core");
    }

    /** An event emitted by run {@code runId} of tree {@code treeId}. */
    public static ArtifactEvent.Builder childEvent(String eventId, String artifact, String treeId, String runId) {
        return event(eventId).setArtifact(artifact).setParent(new ParentRef(treeId, runId));
    }
}
