package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerState;
import dev.wharf.runtime.FakeContainerRuntime.Call;
import dev.wharf.store.table.ContainerTable;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Restart policies with their back-off on a clock the test moves, and the reconciler after a
 * crash in each half-done state.
 */
class RestartAndReconcileTest extends EngineTest {

    private String create(String json) {
        return f.containers.create(null, Requests.create(json)).id();
    }

    private ContainerState state(String id) {
        return f.containers.inspect(id, false).state();
    }

    private void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> state(id).status().equals(status));
    }

    /** Waits until the back-off sleeps on the fake clock, then moves the clock past it. */
    private void passBackOff(Duration d) throws InterruptedException {
        assertThat(f.clock.awaitSleepers(1, Duration.ofSeconds(10))).as("a restart waits on the clock").isTrue();
        f.clock.advance(d);
    }

    @Test
    void onFailure2_restartsTwiceWithADoublingBackOff_thenStaysExited() throws Exception {
        String id = create("{'Image':'busybox','HostConfig':{'RestartPolicy':{'Name':'on-failure',"
                + "'MaximumRetryCount':2}}}");
        f.containers.start(id);
        f.runtime.exit(id, 1);
        awaitStatus(id, "restarting");
        assertThat(state(id).restarting()).isTrue();
        f.clock.advance(Duration.ofMillis(99));
        assertThat(state(id).status()).as("not before 100 ms").isEqualTo("restarting");
        passBackOff(Duration.ofMillis(1));
        awaitStatus(id, "running");
        assertThat(f.containers.inspect(id, false).restartCount()).isEqualTo(1);

        f.runtime.exit(id, 1);
        awaitStatus(id, "restarting");
        passBackOff(Duration.ofMillis(100));
        assertThat(state(id).status()).as("the second back-off is 200 ms").isEqualTo("restarting");
        f.clock.advance(Duration.ofMillis(100));
        awaitStatus(id, "running");
        assertThat(f.containers.inspect(id, false).restartCount()).isEqualTo(2);

        f.runtime.exit(id, 1);
        awaitStatus(id, "exited");
        assertThat(f.clock.sleepers()).as("no third restart").isZero();
        assertThat(f.actions()).containsSubsequence("container:die", "container:start", "container:restart");
    }

    @Test
    void onFailure_doesNotRestartASuccess_andStopCancelsTheBackOff() throws Exception {
        String id = create("{'Image':'busybox','HostConfig':{'RestartPolicy':{'Name':'on-failure'}}}");
        f.containers.start(id);
        f.runtime.exit(id, 0);
        awaitStatus(id, "exited");
        f.containers.start(id);
        f.runtime.exit(id, 2);
        awaitStatus(id, "restarting");
        f.containers.stop(id, 1, null);
        assertThat(state(id).status()).isEqualTo("exited");
        passBackOff(Duration.ofMinutes(2));
        assertThat(f.clock.awaitSleepers(0, Duration.ofSeconds(10))).isTrue();
        assertThat(state(id).status()).as("the stop cancelled the restart").isEqualTo("exited");
    }

    @Test
    void crash_whileRunning_withTheMonitorAlive_keepsItRunning() throws Exception {
        String id = create("{'Image':'busybox'}");
        f.containers.start(id);
        f.restart();
        assertThat(state(id).status()).isEqualTo("running");
        f.runtime.exit(id, 4);
        awaitStatus(id, "exited");
        assertThat(state(id).exitCode()).as("the new daemon watches its exit").isEqualTo(4);
    }

    @Test
    void crash_whileRunning_withTheMonitorGone_marksItExited255() throws Exception {
        String id = create("{'Image':'busybox'}");
        f.containers.start(id);
        f.crash();
        f.runtime.killMonitor(id);
        f.start();
        assertThat(state(id).status()).isEqualTo("exited");
        assertThat(state(id).exitCode()).isEqualTo(255);
    }

    @Test
    void crash_thenAnExitWhileDown_isReportedAtStart() throws Exception {
        String id = create("{'Image':'busybox'}");
        f.containers.start(id);
        f.crash();
        f.runtime.exit(id, 7);
        f.start();
        awaitStatus(id, "exited");
        assertThat(state(id).exitCode()).isEqualTo(7);
        assertThat(Files.exists(f.paths().exitDir().resolve(id))).as("the exit file is consumed").isFalse();
    }

    @Test
    void crash_duringTheBackOff_restartsAtStart() throws Exception {
        String id = create("{'Image':'busybox','HostConfig':{'RestartPolicy':{'Name':'always'}}}");
        f.containers.start(id);
        f.runtime.exit(id, 0);
        awaitStatus(id, "restarting");
        assertThat(f.clock.awaitSleepers(1, Duration.ofSeconds(10))).isTrue();
        f.crash();
        f.start();
        assertThat(f.clock.awaitSleepers(2, Duration.ofSeconds(10))).as("the old back-off and the new one").isTrue();
        f.clock.advance(Duration.ofMillis(100));
        awaitStatus(id, "running");
        assertThat(f.runtime.calls().stream().filter(c -> c.verb().equals("start")).count())
                .as("the old daemon's back-off starts nothing").isEqualTo(2);
    }

    @Test
    void crash_afterAManualStop_restartsAnAlwaysContainer_butNotAnUnlessStoppedOne() throws Exception {
        String always = create("{'Image':'busybox','HostConfig':{'RestartPolicy':{'Name':'always'}}}");
        String unless = create("{'Image':'busybox','HostConfig':{'RestartPolicy':{'Name':'unless-stopped'}}}");
        f.containers.start(always);
        f.containers.start(unless);
        f.containers.stop(always, 1, null);
        f.containers.stop(unless, 1, null);
        f.restart();
        passBackOff(Duration.ofMillis(100));
        awaitStatus(always, "running");
        assertThat(state(unless).status()).isEqualTo("exited");
    }

    @Test
    void crash_duringARemoval_finishesIt() throws Exception {
        String id = create("{'Image':'busybox'}");
        f.crash();
        ContainerTable table = new ContainerTable(f.db());
        ContainerTable.ContainerRow row = table.list().getFirst();
        StateRecord removing = Json.mapper().readValue(row.state(), StateRecord.class)
                .withStatus(ContainerStatus.REMOVING);
        table.updateState(new ContainerId(id), Json.mapper().writeValueAsString(removing), "removing");
        f.start();
        assertThatThrownBy(() -> f.containers.inspect(id, false)).isInstanceOf(NotFoundException.class);
        assertThat(Files.exists(f.paths().dir(new ContainerId(id)))).isFalse();
        assertThat(table.list()).isEmpty();
    }

    @Test
    void crash_duringAStart_undoesIt() throws Exception {
        String id = create("{'Image':'busybox'}");
        ContainerId cid = new ContainerId(id);
        f.crash();
        Files.createDirectories(f.paths().bundle(cid));
        Files.writeString(f.paths().conmonPid(cid), "4242"); // the monitor was launched, the start never recorded
        f.start();
        assertThat(state(id).status()).isEqualTo("created");
        assertThat(f.runtime.calls()).contains(new Call("delete", id, null));
        assertThat(Files.exists(f.paths().conmonPid(cid))).isFalse();
        f.containers.start(id);
        assertThat(state(id).status()).isEqualTo("running");
    }
}
