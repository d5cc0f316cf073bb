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
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots ({@code --plots DIR}): per scenario and unit, a bar per measurement at its median, with the
 * slowest and fastest run marked on it, so that the spread is seen next to the figure. Scenarios with an
 * axis of their own (width, latency percentiles) add their line charts here when they arrive.
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
