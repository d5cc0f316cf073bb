package dev.fanout.bench;

import java.util.OptionalInt;

/**
 * How big the scenarios are: full size for the published figures, or {@code --quick} for a smoke run that
 * checks the bench works but whose figures are not stable.
 *
 * @param records an explicit record count for the scenarios that take one ({@code --records})
 */
public record Scale(boolean quick, OptionalInt records) {

    public static final Scale FULL = new Scale(false, OptionalInt.empty());

    /** The explicit count if given, else the scenario's quick or full default. */
    public int records(int full, int quick) {
        return records.orElse(this.quick ? quick : full);
    }
}
