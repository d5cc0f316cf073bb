package dev.fanout.worker;

import dev.fanout.avro.ArtifactEvent;
import dev.fanout.avro.FanOutDone;
import dev.fanout.avro.RunCancellation;
import dev.fanout.avro.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One attempt of a run, as its handler sees it: the trigger's fields, nested events, and cancellation. */
public interface Run {

    /** The trigger as received. */
    Trigger trigger();

    String runId();

    String treeId();

    /** 1-based; above 1 on a retry. */
    int attempt();

    String repo();

    String workflow();

    /** Input name to JSON text, rendered from the subscription's CEL. */
    Map<String, String> inputs();

    /**
     * The JSON text of one input.
     *
     * @throws IllegalArgumentException naming the input and the inputs there are, when it is missing
     */
    String input(String name);

    /** For a {@code foreach} child: its position in the list. */
    Optional<Integer> itemIndex();

    /** For a {@code foreach} child: the JSON text of its element. */
    Optional<String> item();

    /** When the run times out, if its subscription has a {@code timeout_ms}. */
    Optional<Instant> deadline();

    /**
     * The event that triggered the run, as its trigger carries it: whole, except for a {@code foreach} child,
     * whose trigger leaves out the payload members its list is read from ({@link #eventPayloadOmitted()}), so
     * that a trigger does not grow with its fan-out's width. {@link #wholeEvent()} has all of it.
     */
    ArtifactEvent event();

    /**
     * JSON Pointers of the members left out of {@code event().getPayload()} (the empty pointer: all of it,
     * the payload is then {@code {}}); empty when the event is whole.
     */
    default List<String> eventPayloadOmitted() {
        return List.copyOf(trigger().getEventPayloadOmitted());
    }

    /**
     * The event as its producer sent it. {@link #event()} when nothing was left out of it; otherwise read
     * from {@code fanout.artifact-events} where the trigger says it is ({@code event_origin}), once for the
     * children of a fan-out that reach this worker one after another.
     *
     * @throws IllegalStateException naming the event and where it was looked for, when it cannot be read:
     *     deleted by the topic's retention, or the broker out of reach
     */
    ArtifactEvent wholeEvent();

    /** Reports where the run has got to (see {@link #progress(String, String)}). */
    void progress(String message);

    /**
     * Reports where the run has got to: a STARTED report with {@code progress}, shown by the query API and
     * the web page as the run's last progress. It does not wait for the broker. Like every STARTED report it
     * is a heartbeat too; the worker sends heartbeats by itself while the handler runs, so a handler need
     * not call this to stay alive.
     *
     * @param details JSON text, or null
     * @throws IllegalArgumentException when {@code details} is not JSON text
     */
    void progress(String message, String details);

    /**
     * Publishes a nested event with {@code parent} set to this run, and returns once the broker has it.
     * The run's final report lists it in {@code emitted}, so its fan-out is counted by the tree even when
     * the report reaches Fanout first: the run waits for it (unless the event says
     * {@code wait_for_children: false}, then only until it opens).
     *
     * @return the event id (see {@link NestedEvent} for how it is chosen)
     */
    String emit(NestedEvent event) throws InterruptedException;

    /**
     * Publishes a nested event like {@link #emit} and waits until its fan-out is done.
     *
     * @return the fan-out's {@code FanOutDone}: its status, counts, and the children's results in item order
     * @throws FanOutWaitTimeoutException when the fan-out is not done within {@code timeout}
     */
    FanOutDone emitAndWait(NestedEvent event, Duration timeout) throws InterruptedException;

    /**
     * Whether the run's tree was cancelled while it runs ({@code run-cancellations}). A handler that sees it
     * should stop and return; whatever it then returns but a success is reported FAILED, not retryable, with
     * the error {@code cancelled: <reason>} (a success is reported as such: the work was done, and the
     * tree's compensation may undo it). See docs/workers.md.
     */
    default boolean cancelled() {
        return cancellation().isPresent();
    }

    /** The cancellation of the run (its reason, when it came), once the worker has seen it. */
    Optional<RunCancellation> cancellation();

    /** The reason given with the cancellation, if the run is cancelled and one was given. */
    default Optional<String> cancellationReason() {
        return cancellation().map(RunCancellation::getReason);
    }

    /**
     * Calls {@code action} once when the run is cancelled, or at once if it already is: to stop work a
     * handler waits on (a process, a request). It runs on the worker's cancellation reader thread, so it must
     * be quick and must not block; an exception it throws is logged.
     */
    void onCancel(Runnable action);
}
