package dev.wharf.base.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class Rfc3339Test {

    @Test
    void readsWhatInstantWritesAsInstantParseDoes() {
        for (String s : new String[] {"2026-12-06T15:24:23Z", "2026-12-06T15:24:23.1Z", "2026-12-06T15:24:23.145Z",
            "2026-12-06T15:24:23.145123Z", "2026-12-06T15:24:23.145123456Z", "0001-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999Z", "2026-12-06T15:24:23+02:00",
            "2026-12-06T15:24:23.5-01:30", "2026-12-06T24:00:00Z", "2026-12-06T15:24:23.Z"}) {
            assertThat(Rfc3339.parse(s)).as(s).isEqualTo(Instant.parse(s));
        }
        Instant now = Instant.now();
        assertThat(Rfc3339.parse(now.toString())).isEqualTo(now);
    }

    @Test
    void refusesWhatInstantParseRefuses() {
        for (String s : new String[] {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-06T25:00:00Z",
            "2026-12-06 15:24:23Z", "2026-12-06T15:24:2xZ", "yesterday", ""}) {
            assertThatThrownBy(() -> Rfc3339.parse(s)).as(s).isInstanceOf(DateTimeException.class);
        }
    }
}
