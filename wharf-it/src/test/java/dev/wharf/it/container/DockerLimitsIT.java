package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Limits and confinement from docker run flags, asserted from inside the container: cgroup files,
 * ulimit, /proc/self/status, the process list.
 */
@WharfIT
class DockerLimitsIT {

    private static final String V1 = "/sys/fs/cgroup";

    private static CliResult runRm(DockerCli docker, String... args) {
        List<String> a = new java.util.ArrayList<>(List.of("run", "--rm"));
        a.addAll(List.of(args));
        return docker.run(a.toArray(String[]::new));
    }

    @Test
    void cgroupLimits_areWhatTheContainerSees(DockerCli docker) {
        boolean v2 = java.nio.file.Files.exists(java.nio.file.Path.of("/sys/fs/cgroup/cgroup.controllers"));
        String script = v2
                ? "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.max"
                : "cat " + V1 + "/memory/memory.limit_in_bytes " + V1 + "/pids/pids.max " + V1
                        + "/cpu/cpu.cfs_quota_us " + V1 + "/cpu/cpu.shares";
        CliResult r = runRm(docker, "--memory", "64m", "--pids-limit", "20", "--cpus", "0.5", "--cpu-shares", "512",
                BUSYBOX, "sh", "-c", script);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        if (v2) {
            assertThat(r.lines()).containsExactly("67108864", "20", "50000 100000");
        } else {
            assertThat(r.lines()).containsExactly("67108864", "20", "50000", "512");
        }
    }

    @Test
    void cpuPeriodQuotaCpusetBlkioReservationAndOomKnobs_areWhatTheContainerSees(DockerCli docker) {
        boolean v2 = java.nio.file.Files.exists(java.nio.file.Path.of("/sys/fs/cgroup/cgroup.controllers"));
        // The block I/O weight needs the BFQ scheduler (or blkio.weight on old kernels); hosts without it
        // run the container without the weight, with Docker's warning.
        String weightFile = java.nio.file.Files.exists(java.nio.file.Path.of(V1, "blkio/blkio.weight"))
                ? "blkio/blkio.weight" : "blkio/blkio.bfq.weight";
        boolean weight = !v2 && java.nio.file.Files.exists(java.nio.file.Path.of(V1, weightFile));
        String script = v2
                ? "cd /sys/fs/cgroup; cat cpu.max cpuset.cpus cpuset.mems memory.low /proc/self/oom_score_adj"
                : "cd /sys/fs/cgroup; cat cpu/cpu.cfs_period_us cpu/cpu.cfs_quota_us cpuset/cpuset.cpus "
                        + "cpuset/cpuset.mems memory/memory.soft_limit_in_bytes "
                        + (weight ? weightFile + " " : "")
                        + "/proc/self/oom_score_adj; grep oom_kill_disable memory/memory.oom_control";
        List<String> flags = new java.util.ArrayList<>(List.of("--cpu-period", "50000", "--cpu-quota", "25000",
                "--cpuset-cpus", "1", "--cpuset-mems", "0", "--memory", "64m", "--memory-reservation", "32m",
                "--oom-score-adj", "500"));
        if (!v2) {
            flags.addAll(List.of("--blkio-weight", "300", "--oom-kill-disable")); // cgroup v1 knobs
        }
        flags.addAll(List.of(BUSYBOX, "sh", "-c", script));
        CliResult r = runRm(docker, flags.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        if (v2) {
            assertThat(r.lines()).containsExactly("25000 50000", "1", "0", "33554432", "500");
        } else if (weight) {
            assertThat(r.lines()).containsExactly("50000", "25000", "1", "0", "33554432", "300", "500",
                    "oom_kill_disable 1");
            assertThat(r.stderr()).doesNotContain("Block I/O weight");
        } else {
            assertThat(r.lines()).containsExactly("50000", "25000", "1", "0", "33554432", "500",
                    "oom_kill_disable 1");
            assertThat(r.stderr()).contains("WARNING: Your kernel does not support Block I/O weight or the cgroup "
                    + "is not mounted. Weight discarded.");
        }
    }

    @Test
    void limitsTheHostCannotEnforce_areDroppedWithDockersWarning_andInfoSaysSo(DockerCli docker) {
        boolean v2 = java.nio.file.Files.exists(java.nio.file.Path.of("/sys/fs/cgroup/cgroup.controllers"));
        boolean weight = v2 || java.nio.file.Files.exists(java.nio.file.Path.of(V1, "blkio/blkio.weight"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(V1, "blkio/blkio.bfq.weight"));
        String name = Names.unique("noweight");
        try {
            CliResult created = docker.run("create", "--name", name, "--blkio-weight", "300", BUSYBOX, "true");
            assertThat(created.exitCode()).as(created.toString()).isZero();
            String inspected = docker.ok("inspect", "-f", "{{.HostConfig.BlkioWeight}}", name).out().strip();
            CliResult info = docker.run("info");
            if (!v2 && !weight) {
                assertThat(created.stderr()).contains("WARNING: Your kernel does not support Block I/O weight");
                assertThat(inspected).isEqualTo("0"); // inspect shows what is applied
                assertThat(info.stderr() + info.out()).contains("WARNING: No blkio weight support");
            } else if (!v2) {
                assertThat(created.stderr()).doesNotContain("Block I/O weight");
                assertThat(inspected).isEqualTo("300");
                assertThat(info.stderr() + info.out()).doesNotContain("No blkio weight support");
            }
            assertThat(docker.run("start", "-a", name).exitCode()).isZero();
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void ipcPidAndUtsNamespaces_hostAndAnotherContainers(DockerCli docker) throws Exception {
        java.nio.file.Path self = java.nio.file.Path.of("/proc/self/ns");
        String hostIpc = java.nio.file.Files.readSymbolicLink(self.resolve("ipc")).toString();
        String hostPid = java.nio.file.Files.readSymbolicLink(self.resolve("pid")).toString();
        String hostName = java.net.InetAddress.getLocalHost().getHostName();
        assertThat(runRm(docker, "--ipc", "host", "--pid", "host", "--uts", "host", BUSYBOX, "sh", "-c",
                "readlink /proc/self/ns/ipc; readlink /proc/self/ns/pid; hostname").lines())
                .containsExactly(hostIpc, hostPid, hostName);
        assertThat(runRm(docker, "--domainname", "example.org", "-h", "web", BUSYBOX, "sh", "-c",
                "cat /proc/sys/kernel/domainname; hostname; hostname -f").lines())
                .containsExactly("example.org", "web", "web.example.org");
        CliResult own = runRm(docker, BUSYBOX, "readlink", "/proc/self/ns/ipc");
        assertThat(own.out()).isNotEqualTo(hostIpc);

        String other = Names.unique("nsown");
        try {
            docker.ok("run", "-d", "--name", other, "--ipc", "shareable", BUSYBOX, "sleep", "60");
            String both = "readlink /proc/self/ns/ipc; readlink /proc/self/ns/pid";
            String otherNs = docker.ok("exec", other, "sh", "-c", both).out();
            assertThat(otherNs.lines()).hasSize(2).doesNotContain(hostIpc, hostPid);
            assertThat(runRm(docker, "--ipc", "container:" + other, "--pid", "container:" + other, BUSYBOX,
                    "sh", "-c", both).out()).isEqualTo(otherNs);
            assertThat(runRm(docker, "--pid", "container:" + other, BUSYBOX, "ps", "-o", "args").out())
                    .contains("sleep 60");
            docker.ok("run", "-d", "--name", other + "-p", BUSYBOX, "sleep", "60"); // default (private) IPC
            CliResult notShareable = runRm(docker, "--ipc", "container:" + other + "-p", BUSYBOX, "true");
            assertThat(notShareable.exitCode()).isNotZero();
            assertThat(notShareable.stderr()).contains("non-shareable IPC");
            docker.ok("stop", "-t", "0", other + "-p");
            CliResult stopped = runRm(docker, "--pid", "container:" + other + "-p", BUSYBOX, "true");
            assertThat(stopped.exitCode()).isNotZero();
            assertThat(stopped.stderr()).contains("cannot join PID of a non running container");
        } finally {
            docker.run("rm", "-f", other, other + "-p");
        }
    }

    @Test
    void readOnlyTmpfsAndDevice(DockerCli docker) {
        CliResult r = runRm(docker, "--read-only", "--tmpfs", "/run:size=1m", "--device", "/dev/zero:/dev/myzero",
                BUSYBOX, "sh", "-c", "touch /x 2>/dev/null && echo root-writable || echo root-read-only; "
                        + "touch /run/y && echo run-writable; df -k /run | tail -1; stat -c '%F %t,%T' /dev/myzero; "
                        + "head -c 3 /dev/myzero | od -An -tx1");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines().get(0)).isEqualTo("root-read-only");
        assertThat(r.lines().get(1)).isEqualTo("run-writable");
        assertThat(r.lines().get(2)).matches("tmpfs\\s+1024\\s.*");
        assertThat(r.lines().get(3)).isEqualTo("character special file 1,5");
        assertThat(r.lines().get(4).trim()).isEqualTo("00 00 00");

        // Docker's tmpfs is noexec unless the options say exec
        String copyAndRun = "cp /bin/busybox /t/ && /t/busybox echo ran; grep ' /t ' /proc/mounts";
        CliResult noexec = runRm(docker, "--tmpfs", "/t:size=8m", BUSYBOX, "sh", "-c", copyAndRun);
        assertThat(noexec.stdout()).doesNotContain("ran").contains("noexec");
        assertThat(noexec.stderr()).contains("Permission denied");
        CliResult exec = runRm(docker, "--mount", "type=tmpfs,dst=/t,tmpfs-size=8388608", "--tmpfs", "/u:exec",
                BUSYBOX, "sh", "-c", "grep ' /t ' /proc/mounts; cp /bin/busybox /u/ && /u/busybox echo ran");
        assertThat(exec.stdout()).contains("noexec").contains("ran");
    }

    @Test
    void ulimitAndShmSize(DockerCli docker) {
        CliResult r = runRm(docker, "--ulimit", "nofile=1024:2048", "--shm-size", "16m", BUSYBOX, "sh", "-c",
                "ulimit -n; ulimit -Hn; df -k /dev/shm | tail -1");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.lines().get(0)).isEqualTo("1024");
        assertThat(r.lines().get(1)).isEqualTo("2048");
        assertThat(r.lines().get(2)).matches("shm\\s+16384\\s.*");
    }

    @Test
    void ulimitAboveTheHostsHardLimit_isAClearErrorAndMakesNothing(DockerCli docker) {
        String name = Names.unique("ulimit");
        CliResult r = docker.run("run", "--name", name, "--ulimit", "nofile=1048576:1048576", BUSYBOX, "true");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr()).contains("above this host's hard limit");
        assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines()).doesNotContain(name);
    }

    @Test
    void memoryLimit_oomKillsWith137AndInspectSaysSo(DockerCli docker) {
        String name = Names.unique("oom");
        try {
            CliResult r = docker.run("run", "--name", name, "--memory", "8m", "--memory-swap", "8m", BUSYBOX, "sh",
                    "-c", "a=x; while true; do a=\"$a$a\"; done");
            assertThat(r.exitCode()).isEqualTo(137);
            assertThat(docker.ok("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}}", name).out())
                    .isEqualTo("true 137");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void forkBombUnderPidsLimit_staysContained(DockerCli docker) {
        CliResult r = runRm(docker, "--pids-limit", "10", BUSYBOX, "sh", "-c",
                "(for i in $(seq 1 30); do sleep 5 & done) 2>/dev/null; echo survived; "
                        + "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max");
        assertThat(r.lines()).containsExactly("survived", "10");
    }

    @Test
    void capabilities_defaultDropAddAndPrivileged(DockerCli docker) {
        CliResult dflt = runRm(docker, BUSYBOX, "grep", "CapEff", "/proc/self/status");
        assertThat(dflt.out()).isEqualTo("CapEff:\t00000000a80425fb");

        CliResult only = runRm(docker, "--cap-drop", "ALL", "--cap-add", "NET_ADMIN", BUSYBOX, "grep", "CapEff",
                "/proc/self/status");
        assertThat(only.out()).isEqualTo("CapEff:\t0000000000001000");

        String hostBnd = hostCapBnd();
        CliResult priv = runRm(docker, "--privileged", BUSYBOX, "grep", "CapEff", "/proc/self/status");
        assertThat(priv.out()).isEqualTo("CapEff:\t" + hostBnd);
    }

    @Test
    void noNewPrivilegesInitGroupAddAndUser(DockerCli docker) {
        assertThat(runRm(docker, "--security-opt", "no-new-privileges", BUSYBOX, "grep", "NoNewPrivs",
                "/proc/self/status").out()).isEqualTo("NoNewPrivs:\t1");
        CliResult init = runRm(docker, "--init", BUSYBOX, "cat", "/proc/1/cmdline");
        assertThat(init.stdout()).startsWith("/sbin/docker-init\0--\0cat");
        assertThat(runRm(docker, "-u", "1000:1000", "--group-add", "1234", BUSYBOX, "id").out())
                .matches("uid=1000(\\(\\w+\\))? gid=1000(\\(\\w+\\))? groups=1234");
    }

    @Test
    void sysctl_namespacedOnly(DockerCli docker) {
        assertThat(runRm(docker, "--sysctl", "net.ipv4.ip_forward=1", BUSYBOX, "cat",
                "/proc/sys/net/ipv4/ip_forward").out()).isEqualTo("1");
        CliResult refused = runRm(docker, "--sysctl", "kernel.domainname=x", BUSYBOX, "true");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("not allowed");
    }

    /**
     * As Docker: a container with a network namespace of its own lets a user that is not root bind
     * a port below 1024 and open ping sockets; {@code --sysctl} sets that back; the host's
     * namespace is left as it is.
     */
    @Test
    void sysctl_ownNetworkNamespaces_letUsersBindLowPortsAndPing(DockerCli docker) {
        String script = "cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/net/ipv4/ping_group_range; "
                + "httpd -p 80 -h / 2>&1 && echo bound";
        for (String net : List.of("bridge", "none")) {
            CliResult r = runRm(docker, "--network", net, "--user", "1000:1000", BUSYBOX, "sh", "-c", script);
            assertThat(r.lines()).as(net + ": " + r).containsExactly("0", "0\t2147483647", "bound");
        }
        CliResult setBack = runRm(docker, "--sysctl", "net.ipv4.ip_unprivileged_port_start=1024", "--user", "1000",
                BUSYBOX, "sh", "-c", script);
        assertThat(setBack.lines()).as(setBack.toString()).startsWith("1024").contains("httpd: bind: Permission denied")
                .doesNotContain("bound");
        String hostStart = hostRun("cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start");
        CliResult host = runRm(docker, "--network", "host", BUSYBOX, "cat",
                "/proc/sys/net/ipv4/ip_unprivileged_port_start");
        assertThat(host.out()).as(host.toString()).isEqualTo(hostStart);
        assertThat(hostRun("cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start")).isEqualTo(hostStart);
    }

    @Test
    void privileged_hasTheHostsDevicesAndNoMaskedOrReadonlyProcPaths(DockerCli docker) {
        String dev = List.of("/dev/loop0", "/dev/kmsg", "/dev/mem").stream()
                .filter(d -> java.nio.file.Files.exists(java.nio.file.Path.of(d))).findFirst()
                .orElseThrow(() -> new AssertionError("no /dev/loop0, /dev/kmsg or /dev/mem on this host"));
        String masked = List.of("/proc/kcore", "/proc/timer_list", "/proc/keys").stream()
                .filter(f -> java.nio.file.Files.isRegularFile(java.nio.file.Path.of(f))).findFirst()
                .orElseThrow(() -> new AssertionError("none of Docker's masked /proc files is on this host"));
        String hostStat = hostRun("/bin/busybox", "stat", "-c", "%F %t,%T", dev);
        String script = "stat -c '%F %t,%T' " + dev + " 2>&1; stat -c %F " + masked + "; "
                + "grep -c ' /proc/sys ' /proc/self/mountinfo; ls /dev";

        CliResult priv = runRm(docker, "--privileged", BUSYBOX, "sh", "-c", script);
        assertThat(priv.exitCode()).as(priv.toString()).isZero();
        assertThat(priv.lines().get(0)).isEqualTo(hostStat);
        assertThat(priv.lines().get(1)).startsWith("regular"); // not masked by /dev/null
        assertThat(priv.lines().get(2)).isEqualTo("0"); // /proc/sys not remounted read-only
        assertThat(priv.lines().subList(3, priv.lines().size())).contains("null", "tty", "pts", "shm", "mqueue")
                .doesNotContain("console"); // no terminal: the host's console is not handed over

        CliResult plain = runRm(docker, BUSYBOX, "sh", "-c", script);
        assertThat(plain.lines().get(0)).contains("No such file or directory");
        assertThat(plain.lines().get(1)).isEqualTo("character special file"); // /dev/null over it
        assertThat(plain.lines().get(2)).isEqualTo("1");
        assertThat(plain.lines().subList(3, plain.lines().size()))
                .doesNotContain(java.nio.file.Path.of(dev).getFileName().toString());
    }

    @Test
    void cgroupns_privateHidesTheHostPathAndHostShowsIt(DockerCli docker) {
        String script = "cat /proc/self/cgroup; echo id=$(hostname)";
        CliResult priv = runRm(docker, "--cgroupns", "private", BUSYBOX, "sh", "-c", script);
        assertThat(priv.exitCode()).as(priv.toString()).isZero();
        List<String> privCg = priv.lines().subList(0, priv.lines().size() - 1);
        assertThat(privCg).isNotEmpty().allSatisfy(l -> assertThat(l).endsWith(":/"));

        CliResult host = runRm(docker, "--cgroupns", "host", BUSYBOX, "sh", "-c", script);
        assertThat(host.exitCode()).as(host.toString()).isZero();
        String shortId = host.lines().getLast().substring(3);
        assertThat(host.lines()).anySatisfy(l -> assertThat(l).matches(".*:/wharf/" + shortId + "[0-9a-f]{52}"));

        String named = Names.unique("cgns");
        String dflt = Names.unique("cgnsdefault");
        try {
            docker.ok("create", "--name", named, "--cgroupns", "private", BUSYBOX, "true");
            docker.ok("create", "--name", dflt, BUSYBOX, "true");
            assertThat(docker.ok("inspect", "-f", "{{.HostConfig.CgroupnsMode}}", named).out()).isEqualTo("private");
            boolean v2 = java.nio.file.Files.exists(java.nio.file.Path.of("/sys/fs/cgroup/cgroup.controllers"));
            assertThat(docker.ok("inspect", "-f", "{{.HostConfig.CgroupnsMode}}", dflt).out())
                    .isEqualTo(v2 ? "private" : "host"); // Docker's default for the host's cgroup version
        } finally {
            docker.run("rm", "-f", named, dflt);
        }
    }

    private static String hostRun(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return out.strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String hostCapBnd() {
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (l.startsWith("CapBnd:")) {
                    return l.substring(7).strip();
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no CapBnd");
    }
}
