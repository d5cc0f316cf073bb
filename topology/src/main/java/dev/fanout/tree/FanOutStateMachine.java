package dev.fanout.tree;

import static dev.fanout.avro.internal.FanOutState.COMPENSATING;
import static dev.fanout.avro.internal.FanOutState.DRAINING;
import static dev.fanout.avro.internal.FanOutState.FINISHED;
import static dev.fanout.avro.internal.FanOutState.PLANNING;
import static dev.fanout.avro.internal.FanOutState.RUNNING;
import static dev.fanout.avro.internal.FanOutState.UNKNOWN;

import dev.fanout.avro.internal.FanOutNode;
import dev.fanout.avro.internal.FanOutState;
import dev.fanout.avro.internal.StopCause;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a fan-out, in one place:
 *
 * <pre>
 * PLANNING ─► RUNNING ─► FINISHED          the plan's seal came; every child is done
 *    │           │  └──► COMPENSATING ─► FINISHED   ended FAILED, TIMED_OUT or cancelled, with children to undo
 *    │           └─────► DRAINING ─► COMPENSATING | FINISHED   fail_fast or a cancel: nothing more is released,
 *    └─► DRAINING | COMPENSATING | FINISHED                     running children finish
 * </pre>
 *
 * A fan-out's timeout ends it at once (to COMPENSATING or FINISHED), in any state before those. The plan may
 * still be arriving in any state but RUNNING: {@code sealed_at} says whether its seal came, whatever the state.
 * UNKNOWN is a state written by a newer version; nothing moves it.
 */
final class FanOutStateMachine {

    private static final Map<FanOutState, Set<FanOutState>> ALLOWED = Map.of(
            PLANNING, EnumSet.of(RUNNING, DRAINING, COMPENSATING, FINISHED),
            RUNNING, EnumSet.of(DRAINING, COMPENSATING, FINISHED),
            DRAINING, EnumSet.of(COMPENSATING, FINISHED),
            COMPENSATING, EnumSet.of(FINISHED),
            FINISHED, EnumSet.noneOf(FanOutState.class),
            UNKNOWN, EnumSet.noneOf(FanOutState.class));

    private FanOutStateMachine() {
    }

    static boolean allows(FanOutState from, FanOutState to) {
        return ALLOWED.get(from).contains(to);
    }

    /** Moves {@code fanOut} to {@code to}, or throws: a move the table does not allow is a bug, not input. */
    static void move(FanOutNode fanOut, FanOutState to) {
        FanOutState from = of(fanOut);
        if (!allows(from, to)) {
            throw new IllegalStateException("fan-out " + fanOut.getFanOutId() + " cannot go from " + from + " to " + to);
        }
        fanOut.setState(to);
    }

    /**
     * The fan-out's state. A node stored by Fanout 0.1.x has none: its four booleans are read into the
     * state, the stop and the seal once, here, and the node is saved with them when it next changes.
     */
    static FanOutState of(FanOutNode fanOut) {
        if (fanOut.getState() == null) {
            if (fanOut.getTimedOut()) {
                fanOut.setStop(StopCause.TIMEOUT);
            }
            if (fanOut.getSealed() && fanOut.getSealedAt() == null) {
                fanOut.setSealedAt(fanOut.getStartedAt());
            }
            fanOut.setState(fanOut.getFinished() ? FINISHED : fanOut.getSealed() ? RUNNING : PLANNING);
        }
        return fanOut.getState();
    }

    /** Children may still be released: nothing has stopped the fan-out. */
    static boolean releases(FanOutNode fanOut) {
        FanOutState state = of(fanOut);
        return state == PLANNING || state == RUNNING;
    }

    /** Its children's reports still count: it has not ended (a draining fan-out waits for its running children). */
    static boolean countsChildren(FanOutNode fanOut) {
        FanOutState state = of(fanOut);
        return state == PLANNING || state == RUNNING || state == DRAINING;
    }

    /** Its FanOutDone went out and the level above knows: nothing of it moves again. */
    static boolean isFinished(FanOutNode fanOut) {
        return of(fanOut) == FINISHED;
    }

    /** The matcher's seal came: the plan is complete and {@code children} is its count. */
    static boolean isSealed(FanOutNode fanOut) {
        of(fanOut);
        return fanOut.getSealedAt() != null;
    }
}
