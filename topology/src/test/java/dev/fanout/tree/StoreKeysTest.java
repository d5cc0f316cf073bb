package dev.fanout.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StoreKeysTest {

    @Test
    void numbersArePaddedSoThatTextOrderIsNumberOrder() {
        assertThat(StoreKeys.padded(0, 10)).isEqualTo("0000000000");
        assertThat(StoreKeys.padded(42, 10)).isEqualTo("0000000042");
        assertThat(StoreKeys.padded(Integer.MAX_VALUE, 10)).isEqualTo("2147483647");
        assertThat(StoreKeys.padded(Long.MAX_VALUE, 19)).isEqualTo("9223372036854775807");
        List<String> keys = Stream.of(1000L, 7L, 99L, 0L, 100L).map(n -> StoreKeys.padded(n, 10)).sorted().toList();
        assertThat(keys).containsExactly("0000000000", "0000000007", "0000000099", "0000000100", "0000001000");
    }

    @Test
    void childrenSortByFanOutThenItemThenSubscription() {
        List<String> keys = Stream.of(
                StoreKeys.child("t", "r", 1, 0, "a/s"),
                StoreKeys.child("t", "r", 0, 10, "a/s"),
                StoreKeys.child("t", "r", 0, 9, "b/s"),
                StoreKeys.child("t", "r", 0, 9, "a/s"),
                StoreKeys.child("t", "r", 0, null, "z/s")).sorted().toList();
        assertThat(keys).containsExactly(
                StoreKeys.child("t", "r", 0, null, "z/s"),
                StoreKeys.child("t", "r", 0, 9, "a/s"),
                StoreKeys.child("t", "r", 0, 9, "b/s"),
                StoreKeys.child("t", "r", 0, 10, "a/s"),
                StoreKeys.child("t", "r", 1, 0, "a/s"));
    }

    @Test
    void aNegativeNumberIsRefused() {
        assertThatThrownBy(() -> StoreKeys.padded(-1, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
