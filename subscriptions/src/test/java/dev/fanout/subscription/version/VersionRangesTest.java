package dev.fanout.subscription.version;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionRangesTest {

    @Test
    void theSameTextIsParsedOnce() throws Exception {
        // Given
        VersionRanges ranges = new VersionRanges();

        // When
        VersionRange first = ranges.parse("^1.2.0");
        VersionRange second = ranges.parse("^1.2.0");

        // Then
        assertThat(second).isSameAs(first);
    }

    @Test
    void theLeastRecentlyUsedRangeIsEvictedBeyondCapacity() throws Exception {
        // Given
        VersionRanges ranges = new VersionRanges(2);
        VersionRange first = ranges.parse("^1.0.0");
        ranges.parse("^2.0.0");

        // When
        ranges.parse("^3.0.0");

        // Then
        assertThat(ranges.size()).isEqualTo(2);
        assertThat(ranges.parse("^1.0.0")).isNotSameAs(first);
    }
}
