package dev.fanout.bench.report;

import dev.fanout.bench.BenchReport;
import dev.fanout.bench.CpuShare;
import dev.fanout.bench.Machine;
import dev.fanout.bench.RunResult;
import dev.fanout.bench.Spread;
import dev.fanout.bench.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table {@code fanout bench} prints: one line per measurement, medians with their range. */
public final class ReportTable {

    private static final List<String> HEADER = List.of("scenario", "measurement", "median", "min", "max", "unit", "ratio (min-max)");
    /** Which columns are numbers, right-aligned so that digits line up. */
    private static final boolean[] NUMERIC = {false, false, true, true, true, false, false};

    private ReportTable() {
    }

    /** The table as plain text for a terminal, with a line on the machine above and the method below. */
    public static String text(BenchReport report) {
        List<List<String>> rows = rows(report);
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder(machineLine(report)).append('\n');
        for (List<String> row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                String pad = " ".repeat(widths[i] - row.get(i).length());
                cells.add(NUMERIC[i] ? pad + row.get(i) : row.get(i) + pad);
            }
            sb.append(String.join("  ", cells).stripTrailing()).append('\n');
        }
        return sb.append(methodLine(report)).append('\n').toString();
    }

    /** The same table in Markdown, for docs/benchmarks.md. */
    public static String markdown(BenchReport report) {
        StringBuilder sb = new StringBuilder();
        List<List<String>> rows = rows(report);
        for (int r = 0; r < rows.size(); r++) {
            sb.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
            if (r == 0) {
                sb.append('|');
                for (boolean numeric : NUMERIC) {
                    sb.append(numeric ? "---:|" : "---|");
                }
                sb.append('\n');
            }
        }
        return sb.append('\n').append(machineLine(report)).append("; ").append(methodLine(report)).append('\n').toString();
    }

    private static List<List<String>> rows(BenchReport report) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Summary s : report.summaries()) {
            rows.add(List.of(s.scenario(), s.name(), Figures.value(s.value().median()), Figures.value(s.value().min()),
                    Figures.value(s.value().max()), s.unit(), ratio(s)));
        }
        return rows;
    }

    private static String ratio(Summary s) {
        if (s.ratio() == null) {
            return "";
        }
        return Figures.ratio(s.ratio().median()) + " " + s.baseline()
                + " (" + Figures.ratio(s.ratio().min()) + "-" + Figures.ratio(s.ratio().max()) + ")";
    }

    private static String machineLine(BenchReport report) {
        Machine m = report.machine();
        return String.format(Locale.ROOT, "%d run%s from %s on %d cores, %s RAM, %s max heap, %s; load average %s at start",
                report.runs(), report.runs() == 1 ? "" : "s", report.startedAt(), m.cores(), Figures.gib(m.memoryBytes()),
                Figures.gib(m.maxHeapBytes()), m.java(), m.loadAverage() < 0 ? "unknown" : Figures.value(m.loadAverage()));
    }

    private static String methodLine(BenchReport report) {
        return "median, min and max across " + report.runs() + " run" + (report.runs() == 1 ? "" : "s")
                + "; a ratio is taken within each run, to a baseline measured in that same run" + othersLine(report);
    }

    /** How much of the machine other processes took: figures taken beside a busy neighbour are not clean. */
    private static String othersLine(BenchReport report) {
        List<CpuShare> known = report.results().stream().map(RunResult::cpu).filter(CpuShare::known).toList();
        if (known.isEmpty()) {
            return "";
        }
        double median = Spread.of(known.stream().map(CpuShare::others).toList()).median();
        double max = known.stream().mapToDouble(CpuShare::others).max().orElseThrow();
        return String.format(Locale.ROOT, "; other processes took %.0f%% of the CPU in the median run, %.0f%% at most",
                median * 100, max * 100);
    }
}
