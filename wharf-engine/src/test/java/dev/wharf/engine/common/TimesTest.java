package dev.wharf.engine.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimesTest {

    @Test
    void rfc3339_trimsTrailingZeros_fixedKeepsNine() {
        Instant t = Instant.parse("2026-11-28T12:48:47.235900000Z");
        assertThat(Times.rfc3339(t)).isEqualTo("2026-11-28T12:48:47.235900Z");
        assertThat(Times.rfc3339Fixed(t)).isEqualTo("2026-11-28T12:48:47.235900000Z");
        assertThat(Times.rfc3339Fixed(Instant.parse("2026-11-28T12:48:47Z"))).isEqualTo("2026-11-28T12:48:47.000000000Z");
        assertThat(Times.rfc3339(null)).isEqualTo("0001-01-01T00:00:00Z");
    }

    @Test
    void parseTimestamp_acceptsSecondsFractionsAndRfc3339() {
        assertThat(Times.parseTimestamp("1795870201")).isEqualTo(Instant.ofEpochSecond(1795870201));
        assertThat(Times.parseTimestamp("1795870201.5")).isEqualTo(Instant.ofEpochSecond(1795870201, 500_000_000));
        assertThat(Times.parseTimestamp("2026-11-28T12:00:00Z")).isEqualTo(Instant.parse("2026-11-28T12:00:00Z"));
        assertThat(Times.parseTimestamp("")).isNull();
        assertThatThrownBy(() -> Times.parseTimestamp("yesterday")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void parseTimestamp_goDurationCountsBackFromNow() {
        long now = Instant.now().getEpochSecond();
        assertThat(Times.parseTimestamp("10m").getEpochSecond()).isBetween(now - 601, now - 599);
        assertThat(Times.parseTimestamp("1h30m").getEpochSecond()).isBetween(now - 5401, now - 5399);
        assertThat(Times.goDurationNanos("1.5s")).isEqualTo(1_500_000_000L);
        assertThat(Times.goDurationNanos("0")).isNull();
        assertThat(Times.goDurationNanos("12")).isNull();
    }
}
