package dev.fanout.subscription.cel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cel.common.values.NullValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CelJsonTest {

    @Test
    void jsonScalarsBecomeTheJavaTypesCelEvaluates() throws Exception {
        Object parsed = CelJson.parse("{\"i\": 3, \"d\": 1.5, \"s\": \"x\", \"b\": true, \"n\": null}");

        assertThat(parsed).isEqualTo(Map.of("i", 3L, "d", 1.5d, "s", "x", "b", true, "n", NullValue.NULL_VALUE));
    }

    @Test
    void anIntegerTooLargeForLongBecomesADouble() throws Exception {
        assertThat(CelJson.parse("123456789012345678901234567890")).isInstanceOf(Double.class);
    }

    @Test
    void duplicateKeysAreNotValidJson() {
        assertThatThrownBy(() -> CelJson.parse("{\"a\": 1, \"a\": 2}"))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void trailingContentIsNotValidJson() {
        assertThatThrownBy(() -> CelJson.parse("{} extra"))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void celValuesAreWrittenAsJsonText() {
        String json = CelJson.toJson(Map.of("list", List.of(1L, "two", NullValue.NULL_VALUE)));

        assertThat(json).isEqualTo("{\"list\":[1,\"two\",null]}");
    }

    @Test
    void notANumberCannotBeWrittenAsJson() {
        assertThatThrownBy(() -> CelJson.toJson(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be written as JSON");
    }
}
