package dev.fanout.bench;

import java.util.List;

/**
 * One benchmark, run several times by {@link BenchRunner}. A scenario sets up what it needs on the broker
 * it is given (fresh topics per run), measures, cleans up, and returns its figures. It does not repeat
 * itself or compute medians: the runner does, the same way for every scenario.
 */
public interface Scenario {

    /** The name on the command line, such as {@code ceiling}. */
    String name();

    /** One line for the help and the docs. */
    String description();

    /**
     * Scenarios whose figures this one divides by, run before it in the same run (the ceiling, for most).
     * Naming one on the command line brings its requirements along.
     */
    default List<String> requires() {
        return List.of();
    }

    /**
     * True when every run warms itself up (the pipeline scenarios start a fresh topology JVM per run and send
     * it an untimed load first): the runner's warm-up runs then skip it instead of repeating minutes of load.
     */
    default boolean warmsUpItself() {
        return false;
    }

    List<Measurement> run(BenchContext context) throws Exception;
}
