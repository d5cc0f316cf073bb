package dev.fanout.bench;

import dev.fanout.bench.report.Figures;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/** Progress as a line when a run starts and one when it ends, with its time and figures. */
final class ProgressLines implements Progress {

    private final PrintWriter out;

    ProgressLines(PrintWriter out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void started(String scenario, String run) {
        out.printf("%s %s ...%n", scenario, run);
        out.flush();
    }

    @Override
    public void finished(RunResult result, String run) {
        String figures = result.measurements().stream()
                .map(m -> m.name() + " " + Figures.value(m.value()) + " " + m.unit())
                .collect(Collectors.joining(", "));
        CpuShare cpu = result.cpu();
        String load = cpu.known() ? String.format(Locale.ROOT, " (CPU: bench %.0f%%, others %.0f%%)",
                cpu.bench() * 100, cpu.others() * 100) : "";
        out.printf("%s %s done in %s%s: %s%n", result.scenario(), run,
                Figures.seconds(result.elapsedMillis()), load, figures);
        out.flush();
    }
}
