package dev.wharf.base.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HumanTest {

    private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

    @Test
    void duration_followsGoUnits() {
        assertThat(Human.duration(Duration.ofMillis(300))).isEqualTo("Less than a second");
        assertThat(Human.duration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(Human.duration(Duration.ofSeconds(59))).isEqualTo("59 seconds");
        assertThat(Human.duration(Duration.ofSeconds(61))).isEqualTo("About a minute");
        assertThat(Human.duration(Duration.ofSeconds(150))).isEqualTo("2 minutes");
        assertThat(Human.duration(Duration.ofMinutes(59))).isEqualTo("59 minutes");
        assertThat(Human.duration(Duration.ofMinutes(80))).isEqualTo("About an hour");
        assertThat(Human.duration(Duration.ofMinutes(100))).isEqualTo("2 hours");
        assertThat(Human.duration(Duration.ofHours(47))).isEqualTo("47 hours");
        assertThat(Human.duration(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(Human.duration(Duration.ofDays(20))).isEqualTo("2 weeks");
        assertThat(Human.duration(Duration.ofDays(90))).isEqualTo("3 months");
        assertThat(Human.duration(Duration.ofDays(800))).isEqualTo("2 years");
    }

    @Test
    void containerStatus_readsLikeDocker() {
        assertThat(Human.containerStatus("running", 0, NOW.minusSeconds(125), null, NOW)).isEqualTo("Up 2 minutes");
        assertThat(Human.containerStatus("exited", 0, NOW.minusSeconds(10), NOW.minusSeconds(3), NOW))
                .isEqualTo("Exited (0) 3 seconds ago");
        assertThat(Human.containerStatus("exited", 137, null, NOW.minusSeconds(65), NOW))
                .isEqualTo("Exited (137) About a minute ago");
        assertThat(Human.containerStatus("created", 0, null, null, NOW)).isEqualTo("Created");
        assertThat(Human.containerStatus("paused", 0, NOW.minusSeconds(5), null, NOW)).isEqualTo("Up 5 seconds (Paused)");
    }

    @Test
    void humanDurations_asGoUnitsPrintsThem() {
        assertThat(Human.duration(Duration.ofMillis(300))).isEqualTo("Less than a second");
        assertThat(Human.duration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(Human.duration(Duration.ofSeconds(42))).isEqualTo("42 seconds");
        assertThat(Human.duration(Duration.ofSeconds(90))).isEqualTo("About a minute");
        assertThat(Human.duration(Duration.ofMinutes(5))).isEqualTo("5 minutes");
        assertThat(Human.duration(Duration.ofMinutes(61))).isEqualTo("About an hour");
        assertThat(Human.duration(Duration.ofHours(5))).isEqualTo("5 hours");
        assertThat(Human.duration(Duration.ofDays(3))).isEqualTo("3 days");
    }
}
