package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wharf.base.id.ContainerId;
import dev.wharf.model.container.HostConfig.RestartPolicy;
import dev.wharf.base.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RestartSchedulerTest {

    private static final ContainerId C = ContainerId.random();
    private static final ContainerId D = ContainerId.random();

    @Test
    void backOff_doublesFrom100ms_capsAtAMinute_andResetsAfter10sOfRunning() {
        RestartScheduler s = new RestartScheduler(null, new FakeClock());
        Duration quick = Duration.ofMillis(50);
        assertThat(s.nextDelay(C, quick)).isEqualTo(100);
        assertThat(s.nextDelay(C, quick)).isEqualTo(200);
        assertThat(s.nextDelay(C, quick)).isEqualTo(400);
        for (int i = 0; i < 20; i++) {
            s.nextDelay(C, quick);
        }
        assertThat(s.nextDelay(C, quick)).isEqualTo(60_000);
        assertThat(s.nextDelay(C, Duration.ofSeconds(10))).isEqualTo(100);
        s.reset(C);
        assertThat(s.nextDelay(C, quick)).isEqualTo(100);
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
    void schedule_runsAfterTheDelayOnTheClock_andCancelDropsIt() throws Exception {
        FakeClock clock = new FakeClock();
        RestartScheduler s = new RestartScheduler(null, clock);
        List<Long> ran = new CopyOnWriteArrayList<>();
        CountDownLatch second = new CountDownLatch(1);
        s.schedule(D, 50, ran::add);
        assertThat(clock.awaitSleepers(1, Duration.ofSeconds(5))).isTrue();
        clock.advance(Duration.ofMillis(49));
        assertThat(ran).isEmpty();
        assertThat(s.cancel(D)).isTrue();
        assertThat(s.cancel(D)).as("nothing pending any more").isFalse();
        clock.advance(Duration.ofMillis(1));
        // the cancelled one wakes and leaves; only then does "one sleeper" mean the second restart
        await().atMost(Duration.ofSeconds(5)).until(() -> clock.sleepers() == 0);
        s.schedule(D, 100, t -> {
            ran.add(t);
            second.countDown();
        });
        assertThat(clock.awaitSleepers(1, Duration.ofSeconds(5))).isTrue();
        clock.advance(Duration.ofMillis(100));
        assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).as("only the restart that was not cancelled ran").hasSize(1);
        assertThat(s.isCurrent(D, ran.getFirst())).isTrue();
    }
}
