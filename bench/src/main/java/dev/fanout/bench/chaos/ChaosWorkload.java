package dev.fanout.bench.chaos;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.FanOutOptions;
import dev.fanout.avro.OnFailure;
import dev.fanout.avro.ParentRef;
import dev.fanout.avro.RetryPolicy;
import dev.fanout.avro.Subscription;
import dev.fanout.avro.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The trees of a chaos run, each a pure function of its index, so that the verifier knows what every tree must
 * end with without trusting anything the pipeline wrote.
 *
 * <p>Tree {@code i} is an event of {@value #ROOT_ARTIFACT} whose payload lists between {@code minChildren} and
 * {@code maxChildren} items. {@value #PER_ITEM} runs one child per item (retried up to three times); some items
 * fail their first attempt. Every third tree caps its fan-out at {@value #CONCURRENCY_LIMIT} children in flight.
 * Item 0 emits a nested event of {@value #NESTED_ARTIFACT} listing {@value #NESTED_CHILDREN} items, which
 * {@value #PER_RESULT} fans out again, and waits for it. So a tree has two fan-outs, {@code items + 3} children
 * that all succeed, and one retry per item that fails first.
 */
public final class ChaosWorkload {

    static final String ROOT_ARTIFACT = "chaos-lib:release";
    static final String NESTED_ARTIFACT = "chaos-a:result";
    static final String PER_ITEM = "chaos-a/per-item";
    static final String PER_RESULT = "chaos-b/per-result";
    static final int CONCURRENCY_LIMIT = 5;
    static final int NESTED_CHILDREN = 3;
    /** One item in this many fails its first attempt. */
    static final int FAIL_ONE_IN = 10;

    private final String runId;
    private final int minChildren;
    private final int maxChildren;

    public ChaosWorkload(String runId, int minChildren, int maxChildren) {
        this.runId = Objects.requireNonNull(runId, "runId");
        if (minChildren < 1 || maxChildren < minChildren) {
            throw new IllegalArgumentException("children per tree must be 1 <= min <= max, not " + minChildren + ".." + maxChildren);
        }
        this.minChildren = minChildren;
        this.maxChildren = maxChildren;
    }

    /** Fan-outs per tree: the root's (its id is the tree id) and the nested event's. */
    static final int FAN_OUTS = 2;

    /** What a tree must end with: SUCCEEDED with these counts, every child succeeded, and {@link #FAN_OUTS} fan-outs. */
    public record Expected(String treeId, int items, long total, long retries) {
    }

    public static List<Subscription> subscriptions() {
        RetryPolicy retry = new RetryPolicy(3, 200L, 2.0);
        return List.of(
                subscription(PER_ITEM, ROOT_ARTIFACT, "event.payload.items", retry),
                subscription(PER_RESULT, NESTED_ARTIFACT, "event.payload.items", retry));
    }

    private static Subscription subscription(String id, String artifact, String foreach, RetryPolicy retry) {
        return Subscription.newBuilder()
                .setId(id)
                .setRepo(id.substring(0, id.indexOf('/')))
                .setArtifact(artifact)
                .setEvents(List.of("published"))
                .setSchemaVersion("^1.0.0")
                .setWorkflow("work")
                .setInputs(Map.of("item", "item"))
                .setForeach(foreach)
                .setRetry(retry)
                .build();
    }

    public String treeId(int index) {
        return runId + "-t" + index;
    }

    /** The tree's index, or -1 when the id is not one of this run's trees. */
    public int indexOf(String treeId) {
        String prefix = runId + "-t";
        if (treeId == null || !treeId.startsWith(prefix)) {
            return -1;
        }
        try {
            return Integer.parseInt(treeId.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    int items(int index) {
        int span = maxChildren - minChildren + 1;
        return minChildren + Math.floorMod(mix(index * 31L + 7), span);
    }

    static boolean failsFirst(String treeId, int item) {
        return Math.floorMod(mix((treeId + "/" + item).hashCode()), FAIL_ONE_IN) == 0;
    }

    public ArtifactEvent rootEvent(int index, Instant producedAt) {
        String treeId = treeId(index);
        int items = items(index);
        ArtifactEvent.Builder event = ArtifactEvent.newBuilder()
                .setEventId(treeId)
                .setArtifact(ROOT_ARTIFACT)
                .setEventType("published")
                .setSchemaVersion("1.0.0")
                .setPayload(itemsPayload(items))
                .setProducedAt(producedAt)
                .setSourceRepo("chaos-lib")
                .setHeaders(null);
        if (index % 3 == 0) {
            event.setFanOut(new FanOutOptions(true, null, CONCURRENCY_LIMIT, null, OnFailure.CONTINUE));
        }
        return event.build();
    }

    /** The nested event that item 0 of {@link #PER_ITEM} emits; its id is fixed by the run, as the SDK's are. */
    static ArtifactEvent nestedEvent(Trigger trigger, Instant producedAt) {
        return ArtifactEvent.newBuilder()
                .setEventId(nestedEventId(trigger.getRunId()))
                .setArtifact(NESTED_ARTIFACT)
                .setEventType("published")
                .setSchemaVersion("1.0.0")
                .setPayload(itemsPayload(NESTED_CHILDREN))
                .setProducedAt(producedAt)
                .setSourceRepo("chaos-a")
                .setParent(new ParentRef(trigger.getTreeId(), trigger.getRunId()))
                .setHeaders(null)
                .build();
    }

    static String nestedEventId(String runId) {
        return runId + ".e1";
    }

    /** Whether a trigger's run emits the nested event: item 0 of the first level. */
    static boolean emitsNested(Trigger trigger) {
        return trigger.getSubscriptionId().equals(PER_ITEM) && trigger.getItemIndex() != null && trigger.getItemIndex() == 0;
    }

    public Expected expected(int index) {
        String treeId = treeId(index);
        int items = items(index);
        long retries = IntStream.range(0, items).filter(k -> failsFirst(treeId, k)).count();
        return new Expected(treeId, items, items + NESTED_CHILDREN, retries);
    }

    private static String itemsPayload(int items) {
        return IntStream.range(0, items).mapToObj(Integer::toString).collect(Collectors.joining(",", "{\"items\":[", "]}"));
    }

    /** A cheap, well-spread integer hash (the finaliser of SplitMix64). */
    private static int mix(long x) {
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return (int) (x ^ (x >>> 31));
    }
}
