package dev.fanout.bench.chaos;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A chaos run as a picture: TreeDone records per second over the run, with each disruption drawn where it happened. */
public final class ChaosPlot {

    private ChaosPlot() {
    }

    public static Path write(ChaosReport report, Path file) {
        XYChart chart = new XYChartBuilder().width(900).height(420)
                .title("TreeDone per second under failures (" + report.guarantee() + ", " + report.trees() + " trees)")
                .xAxisTitle("seconds from the start of the load").yAxisTitle("TreeDone records read per second").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        List<Integer> perSecond = report.treeDonesPerSecond();
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        int max = 1;
        for (int second = 0; second < perSecond.size(); second++) {
            x.add(second + 0.5);
            y.add((double) perSecond.get(second));
            max = Math.max(max, perSecond.get(second));
        }
        XYSeries done = chart.addSeries("TreeDone per second", x, y);
        done.setMarker(SeriesMarkers.NONE);
        done.setLineColor(new Color(0x2b6cb0));
        boolean killLabelled = false;
        for (ChaosReport.Disruption d : report.disruptions()) {
            boolean kill = d.what().startsWith("kill");
            String label = kill ? (killLabelled ? " " + d.atMillis() : "kill -9 of an instance") : d.what();
            killLabelled |= kill;
            double at = d.atMillis() / 1000.0;
            XYSeries line = chart.addSeries(label, List.of(at, at), List.of(0.0, (double) max));
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(kill ? new Color(0xc53030) : d.what().startsWith("broker") ? new Color(0xdd6b20) : new Color(0x805ad5));
            line.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            line.setShowInLegend(!label.startsWith(" "));
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot " + file + ": " + e.getMessage(), e);
        }
        return file;
    }
}
