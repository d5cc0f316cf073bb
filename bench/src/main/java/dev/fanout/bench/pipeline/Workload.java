package dev.fanout.bench.pipeline;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.Subscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bench's subscriptions and events. A fan-out of N children is {@code subscribers} subscriptions on one
 * artifact, each with a {@code foreach} over the event's {@code items} list of {@code items} elements
 * (or none): N = subscribers × items. A {@code foreach} fan-out is one list of N elements, up to
 * {@value #MAX_ITEMS}: a child's trigger carries its item, not the list, so the list's length costs the
 * triggers nothing. A list of 100,000 is about 590 KB of JSON, one of 1,000,000 about 6.9 MB, more than the
 * broker takes in one record by default ({@code message.max.bytes}, 1 MiB): such a run raises the record
 * limits to fit ({@link Pipeline#forLists}).
 */
record Workload(String artifact, int subscribers, int items) {

    static final int MAX_ITEMS = 1_000_000;
    /** The workflow every bench subscription runs. */
    static final String WORKFLOW = "build";

    /** N children on {@code artifact}: one subscription per child, without foreach. */
    static Workload bySubscriptions(String artifact, int children) {
        return new Workload(artifact, children, 0);
    }

    /** N children on {@code artifact} by foreach: one list of N elements. */
    static Workload byForeach(String artifact, int children) {
        if (children < 1 || children > MAX_ITEMS) {
            throw new IllegalArgumentException("a foreach width must be from 1 to " + MAX_ITEMS + ": " + children);
        }
        return new Workload(artifact, 1, children);
    }

    /** The subscriber repositories, whose workers get the triggers. */
    java.util.Set<String> repos() {
        java.util.Set<String> repos = new java.util.LinkedHashSet<>();
        for (int i = 0; i < subscribers; i++) {
            repos.add(repo(i));
        }
        return repos;
    }

    private static String repo(int subscriber) {
        return "bench-" + subscriber;
    }

    int children() {
        return subscribers * Math.max(1, items);
    }

    List<Subscription> subscriptions() {
        List<Subscription> list = new ArrayList<>(subscribers);
        String name = artifact.replace(':', '-');
        for (int i = 0; i < subscribers; i++) {
            String repo = repo(i);
            list.add(Subscription.newBuilder()
                    .setId(repo + "/" + name)
                    .setRepo(repo)
                    .setArtifact(artifact)
                    .setEvents(List.of("published"))
                    .setSchemaVersion("^1.0.0")
                    .setWorkflow(WORKFLOW)
                    .setInputs(Map.of())
                    .setForeach(items > 0 ? "event.payload.items" : null)
                    .build());
        }
        return list;
    }

    /** The length of an event's payload: the JSON of its list. */
    int payloadBytes() {
        int bytes = "{\"items\":[]}".length() + Math.max(0, items - 1); // and a comma between items
        for (int i = 0; i < items; i++) {
            bytes += Integer.toString(i).length();
        }
        return bytes;
    }

    ArtifactEvent event(String eventId) {
        StringBuilder payload = new StringBuilder("{\"items\":[");
        for (int i = 0; i < items; i++) {
            payload.append(i == 0 ? "" : ",").append(i);
        }
        payload.append("]}");
        return ArtifactEvent.newBuilder()
                .setEventId(eventId)
                .setArtifact(artifact)
                .setEventType("published")
                .setSchemaVersion("1.0.0")
                .setPayload(payload.toString())
                .setProducedAt(Instant.now())
                .setSourceRepo("bench")
                .build();
    }
}
