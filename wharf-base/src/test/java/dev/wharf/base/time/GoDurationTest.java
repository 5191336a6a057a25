package dev.wharf.base.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Expectations from Go's time.ParseDuration documentation and its error texts. */
class GoDurationTest {

    @Test
    void parsesGosForms() {
        assertThat(GoDuration.parseNanos("1h2m3s")).isEqualTo(3_723_000_000_000L);
        assertThat(GoDuration.parseNanos("300ms")).isEqualTo(300_000_000L);
        assertThat(GoDuration.parseNanos("-1.5h")).isEqualTo(-5_400_000_000_000L);
        assertThat(GoDuration.parseNanos("2h45m")).isEqualTo(9_900_000_000_000L);
        assertThat(GoDuration.parseNanos("250us")).isEqualTo(250_000L);
        assertThat(GoDuration.parseNanos("1µs")).isEqualTo(1_000L);
        assertThat(GoDuration.parseNanos(".5s")).isEqualTo(500_000_000L);
        assertThat(GoDuration.parseNanos("0")).isZero();
    }

    @Test
    void refusesInGosWords() {
        assertThatThrownBy(() -> GoDuration.parseNanos("3x")).hasMessage("time: unknown unit \"x\" in duration \"3x\"");
        assertThatThrownBy(() -> GoDuration.parseNanos("10")).hasMessage("time: missing unit in duration \"10\"");
        assertThatThrownBy(() -> GoDuration.parseNanos("")).hasMessage("time: invalid duration \"\"");
        assertThatThrownBy(() -> GoDuration.parseNanos("soon")).hasMessage("time: invalid duration \"soon\"");
        assertThat(GoDuration.nanosOrNull("2021-01-01")).isNull();
        assertThat(GoDuration.nanosOrNull("10m")).isEqualTo(600_000_000_000L);
    }
}
