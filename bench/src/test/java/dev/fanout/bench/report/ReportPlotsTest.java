package dev.fanout.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.bench.CpuShare;
import dev.fanout.bench.Measurement;
import dev.fanout.bench.Reports;
import dev.fanout.bench.RunResult;
import dev.fanout.bench.Summary;
import org.knowm.xchart.XYChart;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportPlotsTest {

    @TempDir
    Path dir;

    @Test
    void onePngPerScenarioAndUnit() throws Exception {
        List<Path> plots = ReportPlots.write(Reports.ceiling(), dir.resolve("plots"));

        assertThat(plots).extracting(p -> p.getFileName().toString())
                .containsExactly("ceiling-records-per-s.png", "ceiling-mb-per-s.png");
        BufferedImage image = ImageIO.read(plots.get(0).toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(520);
    }

    @Test
    void widthsInMeasurementNamesMakeOneLogLogLinePerSeries() {
        List<Summary> summaries = Summary.of(List.of(new RunResult("width", 1, 1_000, new CpuShare(0.5, 0.1), List.of(
                Measurement.of("N=10 children", 100, "children/s"),
                Measurement.of("N=1000 children", 5_000, "children/s"),
                Measurement.of("N=10 time per child", 10_000, "µs"))),
                new RunResult("fan-out", 1, 1_000, new CpuShare(0.5, 0.1), List.of(
                        Measurement.of("subscriptions N=1000", 9_000, "triggers/s")))));

        XYChart chart = ReportPlots.widthChart(summaries, 1);

        assertThat(chart.getSeriesMap()).containsOnlyKeys("width children (children/s)",
                "fan-out subscriptions (triggers/s)");
        assertThat(chart.getSeriesMap().get("width children (children/s)").getXData()).containsExactly(10.0, 1000.0);
    }

    @Test
    void noWidthChartWithoutWidths() {
        assertThat(ReportPlots.widthChart(Reports.ceiling().summaries(), 3)).isNull();
    }

    @Test
    void unitsBecomeFileNamesWithoutSlashesOrSpaces() {
        assertThat(List.of(ReportPlots.slug("records/s"), ReportPlots.slug("µs / child"), ReportPlots.slug("MB/s")))
                .containsExactly("records-per-s", "us-per-child", "mb-per-s");
    }
}
