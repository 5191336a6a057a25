package dev.wharf.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UnitsTest {

    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

    @Test
    void ago_isDurationPlusAgo() {
        assertThat(Units.ago(NOW.minusSeconds(70).getEpochSecond(), NOW)).isEqualTo("About a minute ago");
        assertThat(Units.ago(NOW.minusSeconds(120).getEpochSecond(), NOW)).isEqualTo("2 minutes ago");
    }

    @Test
    void humanSize_usesDecimalUnitsAndGoPrecision() {
        assertThat(Units.humanSize(4_261_550, 3)).isEqualTo("4.26MB");
        assertThat(Units.humanSize(0, 3)).isEqualTo("0B");
        assertThat(Units.humanSize(999, 3)).isEqualTo("999B");
        assertThat(Units.humanSize(1028, 3)).isEqualTo("1.03kB");
        assertThat(Units.humanSize(1_200_000, 3)).isEqualTo("1.2MB");
        assertThat(Units.humanSize(100_000_000, 3)).isEqualTo("100MB");
        assertThat(Units.humanSize(999_600, 3)).isEqualTo("1e+03kB");
        assertThat(Units.humanSize(212_345_678)).isEqualTo("212.3MB");
        assertThat(Units.bytesSize(4_123_456_789L)).isEqualTo("3.84GiB");
    }

    @Test
    void ellipsis_cutsToNRunesWithTheLastAnEllipsis() {
        assertThat(Units.ellipsis("sh -c 'sleep 1000; echo'", 20)).isEqualTo("sh -c 'sleep 1000; …").hasSize(20);
        assertThat(Units.ellipsis("short", 20)).isEqualTo("short");
    }
}
