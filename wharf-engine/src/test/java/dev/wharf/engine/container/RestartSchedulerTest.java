package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.model.container.HostConfig.RestartPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartSchedulerTest {

    @Test
    void backOff_doublesFrom100ms_capsAtAMinute_andResetsAfter10sOfRunning() {
        RestartScheduler s = new RestartScheduler();
        Duration quick = Duration.ofMillis(50);
        assertThat(s.nextDelay("c", quick)).isEqualTo(100);
        assertThat(s.nextDelay("c", quick)).isEqualTo(200);
        assertThat(s.nextDelay("c", quick)).isEqualTo(400);
        for (int i = 0; i < 20; i++) {
            s.nextDelay("c", quick);
        }
        assertThat(s.nextDelay("c", quick)).isEqualTo(60_000);
        assertThat(s.nextDelay("c", Duration.ofSeconds(10))).isEqualTo(100);
        s.reset("c");
        assertThat(s.nextDelay("c", quick)).isEqualTo(100);
    }

    @Test
    void policies_decideAsDockersDo() {
        RestartPolicy always = new RestartPolicy("always", 0);
        RestartPolicy unless = new RestartPolicy("unless-stopped", 0);
        RestartPolicy onFailure2 = new RestartPolicy("on-failure", 2);
        assertThat(RestartScheduler.shouldRestart(null, 1, 0, false, false)).isFalse();
        assertThat(RestartScheduler.shouldRestart(new RestartPolicy("no", 0), 1, 0, false, false)).isFalse();
        assertThat(RestartScheduler.shouldRestart(always, 0, 5, false, false)).isTrue();
        assertThat(RestartScheduler.shouldRestart(always, 0, 0, true, false)).isFalse();
        assertThat(RestartScheduler.shouldRestart(always, 0, 0, true, true)).isTrue();
        assertThat(RestartScheduler.shouldRestart(unless, 0, 0, true, true)).isFalse();
        assertThat(RestartScheduler.shouldRestart(unless, 0, 0, false, true)).isTrue();
        assertThat(RestartScheduler.shouldRestart(onFailure2, 0, 0, false, false)).isFalse();
        assertThat(RestartScheduler.shouldRestart(onFailure2, 3, 1, false, false)).isTrue();
        assertThat(RestartScheduler.shouldRestart(onFailure2, 3, 2, false, false)).isFalse();
        assertThat(RestartScheduler.shouldRestart(new RestartPolicy("on-failure", 0), 3, 99, false, false)).isTrue();
    }

    @Test
    void cancel_dropsTheScheduledRestart() throws Exception {
        RestartScheduler s = new RestartScheduler();
        java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
        s.schedule("0123456789abcdef", 50, t -> ran.countDown());
        assertThat(s.cancel("0123456789abcdef")).isTrue();
        assertThat(ran.await(300, java.util.concurrent.TimeUnit.MILLISECONDS)).isFalse();
        s.schedule("0123456789abcdef", 1, t -> ran.countDown());
        assertThat(ran.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
}
