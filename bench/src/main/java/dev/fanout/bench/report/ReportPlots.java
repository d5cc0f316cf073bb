package dev.fanout.bench.report;

import dev.fanout.bench.BenchReport;
import dev.fanout.bench.Summary;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots ({@code --plots DIR}): per scenario and unit, a bar per measurement at its median, with the
 * slowest and fastest run marked on it, so that the spread is seen next to the figure (the latency
 * scenario's bar chart is its percentiles); and one line chart of throughput against width, log-log, from
 * every measurement named {@code N=<width>} in a per-second unit (fan-out and width).
 */
public final class ReportPlots {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private ReportPlots() {
    }

    /** Writes the plots into {@code dir} and returns their paths. */
    public static List<Path> write(BenchReport report, Path dir) {
        Map<List<String>, List<Summary>> groups = new LinkedHashMap<>();
        for (Summary s : report.summaries()) {
            groups.computeIfAbsent(List.of(s.scenario(), s.unit()), k -> new ArrayList<>()).add(s);
        }
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            Files.createDirectories(dir);
            Path widthPlot = dir.resolve("throughput-by-width.png");
            XYChart byWidth = widthChart(report.summaries(), report.runs());
            if (byWidth != null) {
                BitmapEncoder.saveBitmap(byWidth, widthPlot.toString(), BitmapEncoder.BitmapFormat.PNG);
                written.add(widthPlot);
            }
            for (Map.Entry<List<String>, List<Summary>> g : groups.entrySet()) {
                String scenario = g.getKey().get(0);
                String unit = g.getKey().get(1);
                Path file = dir.resolve(scenario + "-" + slug(unit) + ".png");
                BitmapEncoder.saveBitmap(barChart(scenario, unit, report.runs(), g.getValue()), file.toString(),
                        BitmapEncoder.BitmapFormat.PNG);
                written.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plots to " + dir + ": " + e.getMessage(), e);
        }
        return written;
    }

    static CategoryChart barChart(String scenario, String unit, int runs, List<Summary> summaries) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(scenario + ": median of " + runs + " run" + (runs == 1 ? "" : "s") + " (on the bar), triangles at min and max")
                .yAxisTitle(unit).build();
        CategoryStyler styler = chart.getStyler();
        // Overlapped: the min and max markers sit on their bar instead of beside it.
        styler.setOverlapped(true);
        styler.setYAxisMin(0.0);
        // The pattern also formats the median printed on each bar: no decimals on figures in the thousands.
        boolean large = summaries.stream().allMatch(s -> s.value().median() >= 100);
        styler.setYAxisDecimalPattern(large ? "#,##0" : "#,##0.#");
        styler.setLabelsVisible(true);
        styler.setLabelsPosition(0.5);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridVerticalLinesVisible(false);

        List<String> names = summaries.stream().map(Summary::name).toList();
        chart.addSeries("median", names, summaries.stream().map(s -> s.value().median()).toList())
                .setFillColor(new Color(0x4C78A8));
        marker(chart.addSeries("min", names, summaries.stream().map(s -> s.value().min()).toList()),
                SeriesMarkers.TRIANGLE_UP);
        marker(chart.addSeries("max", names, summaries.stream().map(s -> s.value().max()).toList()),
                SeriesMarkers.TRIANGLE_DOWN);
        return chart;
    }

    /** A measurement named {@code ... N=1000 ...} in a per-second unit: a point of the width chart. */
    private static final Pattern WIDTH_IN_NAME = Pattern.compile("(.*?)\\s*N=(\\d+)(.*)");

    /**
     * Throughput against width, log-log: the width scenario's children/s (one tree of N, end to end) and the
     * fan-out scenario's triggers/s (one event to N triggers), one line per series, min-max as error bars.
     * Null when the report has none of them.
     */
    static XYChart widthChart(List<Summary> summaries, int runs) {
        Map<String, List<Summary>> series = new LinkedHashMap<>();
        for (Summary s : summaries) {
            Matcher m = WIDTH_IN_NAME.matcher(s.name());
            if (s.unit().endsWith("/s") && m.matches()) {
                String label = (s.scenario() + " " + (m.group(1).trim() + " " + m.group(3).trim()).trim()) + " (" + s.unit() + ")";
                series.computeIfAbsent(label, k -> new ArrayList<>()).add(s);
            }
        }
        if (series.isEmpty()) {
            return null;
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Throughput against width: median of " + runs + " run" + (runs == 1 ? "" : "s") + ", bars from min to max")
                .xAxisTitle("N (children of one event)").yAxisTitle("per second").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        for (Map.Entry<String, List<Summary>> e : series.entrySet()) {
            List<Summary> points = e.getValue().stream()
                    .sorted(java.util.Comparator.comparingLong(ReportPlots::width)).toList();
            List<Double> x = points.stream().map(p -> (double) width(p)).toList();
            List<Double> y = points.stream().map(p -> p.value().median()).toList();
            List<Double> err = points.stream().map(p -> Math.max(p.value().max() - p.value().median(),
                    p.value().median() - p.value().min())).toList();
            chart.addSeries(e.getKey(), x, y, err);
        }
        return chart;
    }

    private static long width(Summary s) {
        Matcher m = WIDTH_IN_NAME.matcher(s.name());
        return m.matches() ? Long.parseLong(m.group(2)) : 0;
    }

    private static void marker(CategorySeries series, Marker marker) {
        series.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Scatter);
        series.setMarker(marker);
        series.setMarkerColor(new Color(0xE45756));
    }

    /** {@code records/s} becomes {@code records-per-s}: a file name without slashes or spaces. */
    static String slug(String unit) {
        return unit.toLowerCase(Locale.ROOT).replace("µ", "u").replace("/", "-per-").replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("-+", "-").replaceAll("^-|-$", "");
    }
}
