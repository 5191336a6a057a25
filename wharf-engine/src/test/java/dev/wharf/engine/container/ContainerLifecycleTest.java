package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.error.NotModifiedException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.engine.common.Filters;
import dev.wharf.model.container.ContainerInspect;
import dev.wharf.model.container.Health;
import dev.wharf.model.container.WaitResponse;
import dev.wharf.runtime.FakeContainerRuntime.Call;
import dev.wharf.store.table.ContainerTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** create, start, stop, kill, restart, pause, wait and remove against the fake runtime. */
class ContainerLifecycleTest extends EngineTest {

    private String create(String name, String json) {
        return f.containers.create(name, Requests.create(json)).id();
    }

    private String status(String id) {
        return f.containers.inspect(id, false).state().status();
    }

    private void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals(status));
    }

    @Test
    void create_fillsInTheImageDefaults_andIsCreated() throws Exception {
        String id = create("web", "{'Image':'busybox','Env':['A=1']}");
        ContainerInspect i = f.containers.inspect("web", false);
        assertThat(i.id()).isEqualTo(id);
        assertThat(i.state().status()).isEqualTo("created");
        assertThat(i.path()).isEqualTo("sh");
        // as Docker: the default PATH is given to the process at start, not stored in Config.Env
        assertThat(i.config().env()).containsExactly("HOME=/root", "A=1");
        assertThat(i.config().hostname()).isEqualTo(id.substring(0, 12));
        assertThat(i.config().labels()).containsEntry("from", "image");
        assertThat(f.actions()).contains("container:create");
    }

    @Test
    void create_refusesWhatDockerRefuses_andMakesNothing() {
        assertThatThrownBy(() -> create(null, "{}")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("No image specified");
        assertThatThrownBy(() -> create(null, "{'Image':'nosuch'}")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> create("-bad", "{'Image':'busybox'}")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> create(null, "{'Image':'busybox','HostConfig':{'RestartPolicy':{'Name':'sometimes'}}}"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown policy 'sometimes'");
        assertThatThrownBy(() -> create(null,
                "{'Image':'busybox','HostConfig':{'AutoRemove':true,'RestartPolicy':{'Name':'always'}}}"))
                .hasMessage("can't create 'AutoRemove' container with restart policy");
        assertThat(f.containers.list(true, 0, dev.wharf.engine.common.Filters.NONE)).isEmpty();
        String id = create("one", "{'Image':'busybox'}");
        assertThatThrownBy(() -> create("one", "{'Image':'busybox'}")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("\"/one\" is already in use by container \"" + id + "\"");
    }

    @Test
    void start_runsIt_andASecondStartIsNotModified() throws Exception {
        String id = create("c1", "{'Image':'busybox'}");
        f.containers.start("c1");
        ContainerInspect i = f.containers.inspect(id, false);
        assertThat(i.state().status()).isEqualTo("running");
        assertThat(i.state().pid()).isPositive();
        assertThat(f.runtime.status(id)).isEqualTo("running");
        assertThat(Files.readString(tmp.resolve("exec/containers").resolve(id).resolve("config.json")))
                .contains("\"args\":[\"sh\"]");
        assertThatThrownBy(() -> f.containers.start(id)).isInstanceOf(NotModifiedException.class);
        assertThat(f.actions()).contains("container:start");
    }

    @Test
    void exit_isRecordedWithItsCode_andWaitersAreTold() throws Exception {
        String id = create("c1", "{'Image':'busybox'}");
        f.containers.start(id);
        CompletableFuture<WaitResponse> wait = f.containers.waitFor(id, "not-running");
        f.runtime.exit(id, 3);
        assertThat(wait.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(3);
        ContainerInspect i = f.containers.inspect(id, false);
        assertThat(i.state().status()).isEqualTo("exited");
        assertThat(i.state().exitCode()).isEqualTo(3);
        assertThat(f.runtime.knows(id)).as("the runtime's container is deleted").isFalse();
        assertThat(f.mounter.mounted()).isEmpty();
        assertThat(f.actions()).contains("container:die");
        assertThat(f.containers.waitFor(id, "not-running").get(1, TimeUnit.SECONDS).statusCode()).isEqualTo(3);
    }

    @Test
    void stop_sendsTheStopSignal_thenKillsAfterTheTimeout() throws Exception {
        String id = create("c1", "{'Image':'busybox','StopSignal':'SIGUSR1'}");
        f.containers.start(id);
        f.runtime.ignoreSignal(id, 10);
        f.containers.stop(id, 0, null);
        assertThat(f.runtime.calls()).contains(new Call("kill", id, "10"), new Call("kill", id, "9"));
        ContainerInspect i = f.containers.inspect(id, false);
        assertThat(i.state().status()).isEqualTo("exited");
        assertThat(i.state().exitCode()).isEqualTo(137);
        assertThatThrownBy(() -> f.containers.stop(id, 1, null)).isInstanceOf(NotModifiedException.class);
    }

    @Test
    void stop_ofAContainerThatStops_sendsNoKill() throws Exception {
        String id = create("c1", "{'Image':'busybox'}");
        f.containers.start(id);
        f.containers.stop(id, 10, null);
        assertThat(f.runtime.calls()).contains(new Call("kill", id, "15")).doesNotContain(new Call("kill", id, "9"));
        assertThat(f.containers.inspect(id, false).state().exitCode()).isEqualTo(143);
        assertThat(f.actions()).containsSubsequence("container:kill", "container:die", "container:stop");
    }

    @Test
    void stop_ofAContainerWhoseMonitorDied_marksItExited() throws Exception {
        String id = create("c1", "{'Image':'busybox'}");
        f.containers.start(id);
        f.runtime.killMonitor(id);
        f.containers.stop(id, 0, null);
        assertThat(f.containers.inspect(id, false).state().exitCode()).isEqualTo(137);
    }

    @Test
    void kill_signalsARunningContainer_andRefusesAStoppedOne() throws Exception {
        String id = create("c1", "{'Image':'busybox'}");
        assertThatThrownBy(() -> f.containers.kill(id, null)).isInstanceOf(ConflictException.class)
                .hasMessage("Container " + id + " is not running");
        f.containers.start(id);
        f.containers.kill(id, "SIGKILL");
        awaitStatus(id, "exited");
        assertThat(f.containers.inspect(id, false).state().exitCode()).isEqualTo(137);
    }

    @Test
    void restart_stopsAndStartsAgain() throws Exception {
        String id = create("c1", "{'Image':'busybox'}");
        f.containers.start(id);
        int pid = f.containers.inspect(id, false).state().pid();
        f.containers.restart(id, 1, null);
        ContainerInspect i = f.containers.inspect(id, false);
        assertThat(i.state().status()).isEqualTo("running");
        assertThat(i.state().pid()).isNotEqualTo(pid);
        assertThat(f.actions()).containsSubsequence("container:die", "container:start", "container:restart");
    }

    @Test
    void pause_andUnpause_moveBetweenRunningAndPaused() throws Exception {
        String id = create("c1", "{'Image':'busybox'}");
        assertThatThrownBy(() -> f.containers.pause(id)).isInstanceOf(ConflictException.class);
        f.containers.start(id);
        f.containers.pause(id);
        assertThat(f.containers.inspect(id, false).state().paused()).isTrue();
        assertThat(f.runtime.status(id)).isEqualTo("paused");
        assertThatThrownBy(() -> f.containers.pause(id)).hasMessage("Container " + id + " is already paused");
        f.containers.unpause(id);
        assertThat(status(id)).isEqualTo("running");
        assertThatThrownBy(() -> f.containers.unpause(id)).hasMessage("Container " + id + " is not paused");
    }

    @Test
    void stop_ofAPausedContainer_thawsItSoItCanExit() throws Exception {
        String id = create("c1", "{'Image':'busybox'}");
        f.containers.start(id);
        f.containers.pause(id);
        f.containers.stop(id, 5, null);
        assertThat(f.runtime.calls()).contains(new Call("resume", id, null));
        assertThat(status(id)).isEqualTo("exited");
    }

    @Test
    void remove_refusesARunningContainer_andForceKillsIt() throws Exception {
        String id = create("c1", "{'Image':'busybox'}");
        f.containers.start(id);
        CompletableFuture<WaitResponse> removed = f.containers.waitFor(id, "removed");
        assertThatThrownBy(() -> f.containers.remove(id, false, false)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("You cannot remove a running container " + id);
        f.containers.remove(id, true, false);
        assertThat(removed.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(137);
        assertThatThrownBy(() -> f.containers.inspect(id, false)).isInstanceOf(NotFoundException.class);
        assertThat(Files.exists(tmp.resolve("data/containers").resolve(id))).isFalse();
        assertThat(f.actions()).containsSubsequence("container:die", "container:destroy");
    }

    @Test
    void forcedRemove_killsOnce() throws Exception {
        String id = create("c1", "{'Image':'busybox'}");
        f.containers.start(id);
        f.containers.remove(id, true, false);
        assertThat(f.runtime.calls().stream().filter(c -> c.verb().equals("kill")))
                .as("one SIGKILL, to every process").containsExactly(new Call("kill", id, "9"));
        List<String> actions = f.actions();
        assertThat(actions.stream().filter(a -> a.equals("container:kill"))).hasSize(1);
        assertThat(actions).containsSubsequence("container:kill", "container:die", "container:destroy");
    }

    @Test
    void remove_deletesTheContainersFiles_evenWhatItWrote() throws Exception {
        String id = create("c1", "{'Image':'busybox'}");
        Path upper = tmp.resolve("data/containers").resolve(id).resolve("upper");
        Files.createDirectories(upper.resolve("var/cache"));
        Files.write(upper.resolve("var/cache/big"), new byte[1 << 20]);
        f.containers.remove(id, false, false);
        assertThat(Files.exists(tmp.resolve("data/containers").resolve(id))).isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(trashed()).isEmpty());
    }

    @Test
    void aRemovalsFilesLeftByAStop_areDeletedAtTheNextStart() throws Exception {
        Path left = tmp.resolve("data/containers-trash/0123-45");
        Files.createDirectories(left.resolve("upper/etc"));
        Files.writeString(left.resolve("upper/etc/hosts"), "127.0.0.1 localhost\n");
        f.restart();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(trashed()).isEmpty());
    }

    private java.util.List<Path> trashed() throws java.io.IOException {
        Path trash = tmp.resolve("data/containers-trash");
        if (!Files.exists(trash)) {
            return java.util.List.of();
        }
        try (var s = Files.list(trash)) {
            return s.toList();
        }
    }

    @Test
    void startFailure_ofAMissingExecutable_is127AndA400() throws Exception {
        String id = create("c1", "{'Image':'busybox','Cmd':['nope']}");
        f.runtime.failCreate("exec: \"nope\": executable file not found in $PATH");
        assertThatThrownBy(() -> f.containers.start(id)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("executable file not found");
        ContainerInspect i = f.containers.inspect(id, false);
        assertThat(i.state().status()).as("a failed first start stays created").isEqualTo("created");
        assertThat(i.state().exitCode()).isEqualTo(127);
        assertThat(i.state().error()).contains("OCI runtime create failed");
    }

    @Test
    void autoRemove_removesTheContainerAfterItExits() throws Exception {
        String id = create("c1", "{'Image':'busybox','HostConfig':{'AutoRemove':true}}");
        f.containers.start(id);
        f.runtime.exit(id, 0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(
                () -> f.containers.inspect(id, false)).isInstanceOf(NotFoundException.class));
    }

    @Test
    void waitFor_conditions() throws Exception {
        String id = create("c1", "{'Image':'busybox'}");
        assertThatThrownBy(() -> f.containers.waitFor(id, "later")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid condition: \"later\"");
        assertThat(f.containers.waitFor(id, "not-running").get(1, TimeUnit.SECONDS).statusCode()).isZero();
        CompletableFuture<WaitResponse> next = f.containers.waitFor(id, "next-exit");
        f.containers.start(id);
        assertThat(next).isNotDone();
        f.runtime.exit(id, 5);
        assertThat(next.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(5);
    }

    @Test
    void resize_reachesTheRuntimeForATerminalOnly() throws Exception {
        String tty = create("t1", "{'Image':'busybox','Tty':true}");
        String plain = create("p1", "{'Image':'busybox'}");
        assertThatThrownBy(() -> f.containers.resize(tty, 24, 80)).isInstanceOf(ConflictException.class);
        f.containers.start(tty);
        f.containers.start(plain);
        f.containers.resize(tty, 24, 80);
        f.containers.resize(plain, 24, 80);
        assertThat(f.runtime.calls().stream().filter(c -> c.verb().equals("resize")).toList())
                .containsExactly(new Call("resize", tty, "24x80"));
        assertThat(f.containers.tty(tty)).isTrue();
        assertThat(f.containers.tty(plain)).isFalse();
    }

    @Test
    void health_setByTheMonitor_showsInInspectListAndFilters_andIsStored() throws Exception {
        String id = create("hc", "{'Image':'busybox'}");
        f.containers.start(id);
        ContainerId cid = new ContainerId(id);
        assertThat(f.containers.health(cid)).isNull();
        assertThat(f.containers.list(false, 0, Filters.parse("{\"health\":[\"none\"]}"))).hasSize(1);

        Health h = new Health(Health.UNHEALTHY, 3, List.of(new Health.Probe("2026-01-01T00:00:00Z",
                "2026-01-01T00:00:01Z", 1, "down\n")));
        f.containers.setHealth(cid, h);

        assertThat(f.containers.health(cid)).isEqualTo(h);
        assertThat(f.containers.inspect(id, false).state().health()).isEqualTo(h);
        assertThat(f.containers.list(false, 0, Filters.NONE).getFirst().status()).endsWith(" (unhealthy)");
        assertThat(f.containers.list(false, 0, Filters.parse("{\"health\":[\"unhealthy\"]}"))).hasSize(1);
        assertThat(f.containers.list(false, 0, Filters.parse("{\"health\":[\"healthy\"]}"))).isEmpty();
        assertThat(new ContainerTable(f.db()).get(cid).orElseThrow().health())
                .contains("\"Status\":\"unhealthy\"", "\"FailingStreak\":3", "\"Output\":\"down\\n\"");
    }
}
