package dev.fanout.bench.report;

import dev.fanout.bench.BenchReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code fanout bench --docs}: rewrites the results part of docs/benchmarks.md, between two marker
 * comments, with the table of this bench and links to its plots; the method and the analysis around it are
 * prose and stay as they are. The JSON and the PNGs go to the {@code benchmarks/} directory beside the page.
 */
public final class DocsPage {

    public static final String START = "<!-- bench:results:start -->";
    public static final String END = "<!-- bench:results:end -->";

    private DocsPage() {
    }

    /** The directory beside {@code page} that holds its JSON and plots: {@code docs/benchmarks/}. */
    public static Path assetsDir(Path page) {
        Path parent = page.toAbsolutePath().getParent();
        String name = page.getFileName().toString().replaceFirst("\\.md$", "");
        return parent.resolve(name);
    }

    /** Writes the JSON and plots, and the table into {@code page}; returns the files written. */
    public static List<Path> write(BenchReport report, Path page, String command) {
        Objects.requireNonNull(report, "report");
        String text;
        try {
            text = Files.readString(page);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + page + ": " + e.getMessage()
                    + " (run the bench from the project's root, or give --docs the page's path)", e);
        }
        Path assets = assetsDir(page);
        Path json = assets.resolve("results.json");
        ReportJson.write(report, json);
        List<Path> plots = ReportPlots.write(report, assets);
        StringBuilder results = new StringBuilder();
        String at = report.startedAt();
        results.append("Taken on ").append(at.substring(0, Math.min(16, at.length())).replace('T', ' '))
                .append(" UTC with `").append(command).append("`.\n\n");
        results.append(ReportTable.markdown(report)).append('\n');
        for (Path plot : plots) {
            results.append("![").append(plot.getFileName().toString().replace(".png", "").replace('-', ' '))
                    .append("](").append(assets.getFileName()).append('/').append(plot.getFileName()).append(")\n\n");
        }
        results.append("The raw figures of every run are in [").append(assets.getFileName()).append("/results.json](")
                .append(assets.getFileName()).append("/results.json).\n");
        String updated = replaceResults(text, results.toString(), page);
        try {
            Files.writeString(page, updated);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + page + ": " + e.getMessage(), e);
        }
        List<Path> written = new java.util.ArrayList<>(plots);
        written.add(json);
        written.add(page);
        return written;
    }

    /** {@code text} with what lies between the markers replaced by {@code results}. */
    static String replaceResults(String text, String results, Path page) {
        return replaceBetween(text, START, END, results, page);
    }

    /** {@code text} with what lies between the lines {@code start} and {@code end} replaced by {@code results}. */
    public static String replaceBetween(String text, String start, String end, String results, Path page) {
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException(page + " has no results section to regenerate: put the lines '" + start
                    + "' and '" + end + "' (in that order) where the results belong");
        }
        return text.substring(0, from + start.length()) + "\n" + results + text.substring(to);
    }
}
