package dev.wharf.base.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeClockTest {

    @Test
    void sleep_wakesOnlyWhenTheTimeIsAdvancedPastTheDeadline() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2024-01-01T00:00:00Z"));
        CountDownLatch woke = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                clock.sleep(Duration.ofSeconds(10));
                woke.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(clock.awaitSleepers(1, Duration.ofSeconds(5))).isTrue();
        clock.advance(Duration.ofSeconds(9));
        assertThat(woke.await(100, TimeUnit.MILLISECONDS)).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(woke.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(clock.now()).isEqualTo(Instant.parse("2024-01-01T00:00:10Z"));
    }

    @Test
    void systemClock_isTheHostsTime() throws Exception {
        Instant before = Instant.now();
        Instant read = Clock.system().now();
        assertThat(read).isBetween(before, Instant.now());
    }
}
