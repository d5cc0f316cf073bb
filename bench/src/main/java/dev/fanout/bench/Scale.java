package dev.fanout.bench;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How big the scenarios are: full size for the published figures, or {@code --quick} for a smoke run that
 * checks the bench works but whose figures are not stable.
 *
 * @param records an explicit record count for the scenarios that take one ({@code --records})
 * @param widths  explicit tree widths for the width scenario ({@code --widths}), or empty for its defaults
 */
public record Scale(boolean quick, OptionalInt records, List<Integer> widths) {

    public static final Scale FULL = new Scale(false, OptionalInt.empty());

    public Scale {
        Objects.requireNonNull(records, "records");
        widths = List.copyOf(Objects.requireNonNull(widths, "widths"));
    }

    public Scale(boolean quick, OptionalInt records) {
        this(quick, records, List.of());
    }

    /** The explicit widths if given, else the scenario's quick or full default. */
    public List<Integer> widths(List<Integer> full, List<Integer> quick) {
        return !widths.isEmpty() ? widths : this.quick ? quick : full;
    }

    /** The explicit count if given, else the scenario's quick or full default. */
    public int records(int full, int quick) {
        return records.orElse(this.quick ? quick : full);
    }
}
