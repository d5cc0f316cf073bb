package dev.fanout.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MeasurementTest {

    @Test
    void aRatioIsTheFigureOverItsBaselineAndNamesIt() {
        Measurement plain = Measurement.of("produce", 400_000, "records/s");

        Measurement tx = Measurement.of("produce transactional", 300_000, "records/s").relativeTo(plain);

        assertThat(tx.ratio()).isEqualTo(0.75);
        assertThat(tx.baseline()).isEqualTo("produce");
    }

    @Test
    void figuresInDifferentUnitsHaveNoRatio() {
        Measurement rate = Measurement.of("produce", 400_000, "records/s");

        assertThatThrownBy(() -> Measurement.of("produce", 80, "MB/s").relativeTo(rate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MB/s").hasMessageContaining("records/s");
    }

    @Test
    void aFigureThatIsNotANumberIsRefused() {
        assertThatThrownBy(() -> Measurement.of("produce", Double.NaN, "records/s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("produce");
    }
}
