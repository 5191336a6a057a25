package dev.wharf.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UnitsTest {

    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

    @Test
    void humanDuration_followsGoUnits() {
        assertThat(Units.humanDuration(Duration.ofMillis(300))).isEqualTo("Less than a second");
        assertThat(Units.humanDuration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(Units.humanDuration(Duration.ofSeconds(59))).isEqualTo("59 seconds");
        assertThat(Units.humanDuration(Duration.ofSeconds(61))).isEqualTo("About a minute");
        assertThat(Units.humanDuration(Duration.ofSeconds(150))).isEqualTo("2 minutes");
        assertThat(Units.humanDuration(Duration.ofMinutes(59))).isEqualTo("59 minutes");
        assertThat(Units.humanDuration(Duration.ofMinutes(80))).isEqualTo("About an hour");
        assertThat(Units.humanDuration(Duration.ofMinutes(100))).isEqualTo("2 hours");
        assertThat(Units.humanDuration(Duration.ofHours(47))).isEqualTo("47 hours");
        assertThat(Units.humanDuration(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(Units.humanDuration(Duration.ofDays(20))).isEqualTo("2 weeks");
        assertThat(Units.humanDuration(Duration.ofDays(90))).isEqualTo("3 months");
        assertThat(Units.humanDuration(Duration.ofDays(800))).isEqualTo("2 years");
    }

    @Test
    void ago_isDurationPlusAgo() {
        assertThat(Units.ago(NOW.minusSeconds(70).getEpochSecond(), NOW)).isEqualTo("About a minute ago");
        assertThat(Units.ago(NOW.minusSeconds(120).getEpochSecond(), NOW)).isEqualTo("2 minutes ago");
    }

    @Test
    void containerStatus_readsLikeDocker() {
        assertThat(Units.containerStatus("running", 0, NOW.minusSeconds(125), null, NOW)).isEqualTo("Up 2 minutes");
        assertThat(Units.containerStatus("exited", 0, NOW.minusSeconds(10), NOW.minusSeconds(3), NOW))
                .isEqualTo("Exited (0) 3 seconds ago");
        assertThat(Units.containerStatus("exited", 137, null, NOW.minusSeconds(65), NOW))
                .isEqualTo("Exited (137) About a minute ago");
        assertThat(Units.containerStatus("created", 0, null, null, NOW)).isEqualTo("Created");
        assertThat(Units.containerStatus("paused", 0, NOW.minusSeconds(5), null, NOW)).isEqualTo("Up 5 seconds (Paused)");
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
