package dev.wharf.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.base.id.ContainerId;
import dev.wharf.runtime.sys.Pidfd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuncShortcutsTest {

    private static final ContainerId C1 = ContainerId.random();
    private static final ContainerId SHARED = ContainerId.random();
    private static final ContainerId OWN = ContainerId.random();
    private static final ContainerId RUNNING = ContainerId.random();
    private static final ContainerId OUTSIDE = ContainerId.random();
    private static final ContainerId BUSY = ContainerId.random();

    @TempDir
    Path dir;
    private Path root;
    private Path cgroups;
    private RuncShortcuts shortcuts;
    private Process sleeper;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(dir.resolve("runc"));
        cgroups = Files.createDirectories(dir.resolve("cgroup"));
        shortcuts = new RuncShortcuts(root, cgroups);
        sleeper = new ProcessBuilder("sleep", "60").start();
    }

    @AfterEach
    void tearDown() {
        sleeper.destroyForcibly();
    }

    @Test
    void kill_signalsTheInitThatRuncStarted() throws Exception {
        state(C1, sleeper.pid(), Pidfd.startTicks((int) sleeper.pid()), "", "");

        assertThat(shortcuts.kill(C1, 15, false)).isTrue();

        assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sleeper.exitValue()).isEqualTo(128 + 15);
    }

    @Test
    void kill_leavesAProcessThatReusedThePidAlone() throws Exception {
        state(C1, sleeper.pid(), Pidfd.startTicks((int) sleeper.pid()) - 1, "", "");

        assertThat(shortcuts.kill(C1, 9, false)).isFalse();

        assertThat(sleeper.waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void killAll_onlySigkillInTheContainersOwnPidNamespace() throws Exception {
        long start = Pidfd.startTicks((int) sleeper.pid());
        state(SHARED, sleeper.pid(), start, "/proc/1/ns/pid", "");
        state(OWN, sleeper.pid(), start, "", "");

        assertThat(shortcuts.kill(SHARED, 9, true)).isFalse();
        assertThat(shortcuts.kill(OWN, 15, true)).isFalse();
        assertThat(sleeper.isAlive()).isTrue();
        assertThat(shortcuts.kill(OWN, 9, true)).isTrue();
        assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void killAll_ofAnInitThatHasDied_isDoneInItsOwnPidNamespaceOnly() throws Exception {
        long start = Pidfd.startTicks((int) sleeper.pid());
        sleeper.destroyForcibly().waitFor();
        state(SHARED, sleeper.pid(), start, "/proc/1/ns/pid", "");
        state(OWN, sleeper.pid(), start, "", "");

        assertThat(shortcuts.kill(OWN, 9, true)).as("the namespace died with its init").isTrue();
        assertThat(shortcuts.kill(OWN, 9, false)).as("runc says the container is not running").isFalse();
        assertThat(shortcuts.kill(SHARED, 9, true)).as("other processes may remain: runc kills them").isFalse();
    }

    @Test
    void kill_leavesAPausedContainerToRunc() throws Exception {
        Path freezer = Files.createDirectories(cgroups.resolve("freezer/c1"));
        Files.writeString(freezer.resolve("freezer.state"), "FROZEN\n");
        state(C1, sleeper.pid(), Pidfd.startTicks((int) sleeper.pid()), "", cgroupPaths(freezer));

        assertThat(shortcuts.kill(C1, 9, false)).isFalse();
        assertThat(sleeper.isAlive()).isTrue();
    }

    @Test
    void kill_withoutStateIsLeftToRunc() {
        assertThat(shortcuts.kill(ContainerId.random(), 15, false)).isFalse();
    }

    @Test
    void deleteStopped_removesTheCgroupsAndTheStateOfAnExitedInit() throws Exception {
        long start = Pidfd.startTicks((int) sleeper.pid());
        sleeper.destroyForcibly().waitFor();
        Path memory = Files.createDirectories(cgroups.resolve("memory/wharf/c1"));
        Path pids = Files.createDirectories(cgroups.resolve("pids/wharf/c1"));
        state(C1, sleeper.pid(), start, "", cgroupPaths(memory, pids));
        Files.writeString(root.resolve(C1.value()).resolve("exec.fifo"), "");

        assertThat(shortcuts.deleteStopped(C1)).isTrue();

        assertThat(memory).doesNotExist();
        assertThat(pids).doesNotExist();
        assertThat(root.resolve(C1.value())).doesNotExist();
        assertThat(cgroups.resolve("memory/wharf")).exists();
    }

    @Test
    void deleteStopped_leavesARunningOrUnusualContainerToRunc() throws Exception {
        long start = Pidfd.startTicks((int) sleeper.pid());
        Path cg = Files.createDirectories(cgroups.resolve("pids/wharf/c1"));
        state(RUNNING, sleeper.pid(), start, "", cgroupPaths(cg));
        assertThat(shortcuts.deleteStopped(RUNNING)).isFalse();
        assertThat(root.resolve(RUNNING.value())).exists();
        assertThat(cg).exists();

        sleeper.destroyForcibly().waitFor();
        state(OUTSIDE, sleeper.pid(), start, "", cgroupPaths(dir.resolve("elsewhere")));
        assertThat(shortcuts.deleteStopped(OUTSIDE)).isFalse();
        state(SHARED, sleeper.pid(), start, "/proc/1/ns/pid", cgroupPaths(cg));
        assertThat(shortcuts.deleteStopped(SHARED)).isFalse();
        Files.writeString(cg.resolve("leftover"), "a process would keep a cgroup busy");
        state(BUSY, sleeper.pid(), start, "", cgroupPaths(cg));
        assertThat(shortcuts.deleteStopped(BUSY)).isFalse();
        assertThat(root.resolve(BUSY.value()).resolve("state.json")).exists();
    }

    @Test
    void deleteStopped_leavesPoststopHooksToRunc() throws Exception {
        long start = Pidfd.startTicks((int) sleeper.pid());
        sleeper.destroyForcibly().waitFor();
        Path dirOf = Files.createDirectories(root.resolve(C1.value()));
        Files.writeString(dirOf.resolve("state.json"), "{\"init_process_pid\":" + sleeper.pid()
                + ",\"init_process_start\":" + start + ",\"config\":{\"namespaces\":[{\"type\":\"NEWPID\",\"path\":\"\"}],"
                + "\"Hooks\":{\"poststop\":[{\"path\":\"/bin/true\"}]}},\"cgroup_paths\":{}}");

        assertThat(shortcuts.deleteStopped(C1)).isFalse();
        assertThat(dirOf.resolve("state.json")).exists();
    }

    @Test
    void startTicks_readsField22WhateverTheCommandName() {
        String stat = "1234 (we) ird (na) me) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 "
                + "1000 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0";
        assertThat(Pidfd.parseStartTicks(stat)).isEqualTo(987654);
        assertThat(Pidfd.parseStartTicks(stat.replace(") S ", ") Z "))).isEqualTo(-1);
        assertThat(Pidfd.startTicks(Integer.MAX_VALUE)).isEqualTo(-1);
    }

    private void state(ContainerId cid, long pid, long start, String pidNsPath, String cgroupPaths) throws IOException {
        Path d = Files.createDirectories(root.resolve(cid.value()));
        Files.writeString(d.resolve("state.json"), "{\"id\":\"" + cid + "\",\"init_process_pid\":" + pid
                + ",\"init_process_start\":" + start + ",\"config\":{\"namespaces\":[{\"type\":\"NEWNS\",\"path\":\"\"},"
                + "{\"type\":\"NEWPID\",\"path\":\"" + pidNsPath + "\"}],\"Hooks\":null},\"cgroup_paths\":{"
                + cgroupPaths + "}}");
    }

    /** runc's {@code cgroup_paths}: each path under its controller's name, as the first directory names it. */
    private String cgroupPaths(Path... paths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < paths.length; i++) {
            Path p = paths[i];
            String controller = p.startsWith(cgroups) ? cgroups.relativize(p).getName(0).toString()
                    : p.getFileName().toString();
            sb.append(i == 0 ? "" : ",").append('"').append(controller).append("\":\"").append(p).append('"');
        }
        return sb.toString();
    }
}
