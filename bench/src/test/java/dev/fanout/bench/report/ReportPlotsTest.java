package dev.fanout.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.bench.Reports;
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
    void unitsBecomeFileNamesWithoutSlashesOrSpaces() {
        assertThat(List.of(ReportPlots.slug("records/s"), ReportPlots.slug("µs / child"), ReportPlots.slug("MB/s")))
                .containsExactly("records-per-s", "us-per-child", "mb-per-s");
    }
}
