package dev.fanout.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fanout.bench.Reports;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTableTest {

    @Test
    void theTableHasOneAlignedLinePerMeasurementWithMedianMinMaxAndRatio() {
        List<String> lines = ReportTable.text(Reports.ceiling()).lines().toList();

        assertThat(lines.get(0)).startsWith("3 runs from 2026-11-21T14:00:00Z on 2 cores, 24.0 GiB RAM, 6.0 GiB max heap");
        assertThat(lines.get(1)).isEqualTo(
                "scenario  measurement             median      min      max  unit       ratio (min-max)");
        assertThat(lines.get(2)).isEqualTo(
                "ceiling   produce                450,000  400,000  500,000  records/s");
        assertThat(lines.get(3)).isEqualTo(
                "ceiling   produce                  94.95    84.40    105.5  MB/s");
        assertThat(lines.get(4)).isEqualTo(
                "ceiling   produce transactional  247,500  200,000  300,000  records/s  0.55× produce (0.50×-0.60×)");
        assertThat(lines.get(5)).startsWith("median, min and max across 3 runs")
                .endsWith("other processes took 2% of the CPU in the median run, 3% at most");
    }

    @Test
    void theMarkdownTableHasAHeaderRuleWithNumbersRightAligned() {
        List<String> lines = ReportTable.markdown(Reports.ceiling()).lines().toList();

        assertThat(lines.get(0)).isEqualTo("| scenario | measurement | median | min | max | unit | ratio (min-max) |");
        assertThat(lines.get(1)).isEqualTo("|---|---|---:|---:|---:|---|---|");
        assertThat(lines.get(2)).isEqualTo("| ceiling | produce | 450,000 | 400,000 | 500,000 | records/s |  |");
    }

    @Test
    void figuresKeepAFewSignificantDigitsAndGroupThousands() {
        assertThat(List.of(Figures.value(1_234_567.8), Figures.value(123.45), Figures.value(12.345), Figures.value(0.12345)))
                .containsExactly("1,234,568", "123.5", "12.35", "0.123");
    }
}
