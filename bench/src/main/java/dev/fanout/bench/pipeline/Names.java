package dev.fanout.bench.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Figures in scenario descriptions and measurement names. */
final class Names {

    private Names() {
    }

    static String widths(List<Integer> widths) {
        return widths.stream().map(n -> String.format(Locale.ROOT, "%,d", n)).collect(Collectors.joining(", "));
    }
}
