package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.TempPaths;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Restart policies (also across a daemon restart), rename, update, stats, health checks, seccomp
 * and events, through the docker CLI, the wharf CLI and the API.
 */
@WharfIT
class DockerPoliciesIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A second from now, as unix seconds: events published up to now are all in the window. */
    private static String soon() {
        return String.valueOf(java.time.Instant.now().getEpochSecond() + 1);
    }

    private static String inspect(DockerCli docker, String format, String name) {
        return docker.ok("inspect", "-f", format, name).out();
    }

    /** docker stop sends the container's --stop-signal, then kills it after its --stop-timeout. */
    @Test
    void stopSignalAndStopTimeout_areWhatStopUses(DockerCli docker) {
        String name = Names.unique("stopsig");
        try {
            docker.ok("run", "-d", "--name", name, "--stop-signal", "USR1", "--stop-timeout", "1", BUSYBOX, "sh", "-c",
                    "trap 'echo got-usr1' USR1; while true; do sleep 0.1; done");
            assertThat(inspect(docker, "{{.Config.StopSignal}} {{.Config.StopTimeout}}", name)).isEqualTo("USR1 1");
            docker.ok("stop", name); // the shell ignores USR1 (it only prints): killed after one second
            assertThat(inspect(docker, "{{.State.Status}} {{.State.ExitCode}}", name)).isEqualTo("exited 137");
            await().atMost(WAIT).until(() -> docker.ok("logs", name).out().contains("got-usr1"));
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void onFailureWithMax_restartsThatOftenThenStays(DockerCli docker) {
        String name = Names.unique("onfail");
        try {
            docker.ok("run", "-d", "--name", name, "--restart", "on-failure:2", BUSYBOX, "sh", "-c", "exit 3");
            await().atMost(WAIT).until(() -> inspect(docker, "{{.State.Status}} {{.RestartCount}}", name)
                    .equals("exited 2"));
            assertThat(inspect(docker, "{{.State.ExitCode}}", name)).isEqualTo("3");
            CliResult ev = docker.ok("events", "--since", "0", "--until", soon(), "--filter", "container=" + name,
                    "--filter", "event=restart", "--format", "{{.Action}}");
            assertThat(ev.lines()).containsExactly("restart", "restart");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    /**
     * A container its policy restarts is "restarting" as soon as it exited, as Docker shows it: a
     * client that looks when its wait or log stream ends must not see it "exited" (the end, for
     * compose up's attach) between two runs.
     */
    @Test
    void onFailure_isRestartingTheMomentItExits_neverExitedBetweenRuns(DockerCli docker, Api api) {
        String name = Names.unique("between");
        try {
            docker.ok("run", "-d", "--name", name, "--restart", "on-failure:3", BUSYBOX, "sh", "-c", "sleep 0.5; exit 3");
            for (int run = 1; run <= 3; run++) {
                Api.Response w = api.postJson("/containers/" + name + "/wait?condition=next-exit", Map.of(),
                        Duration.ofSeconds(30));
                assertThat(w.json().path("StatusCode").asInt()).as(w.toString()).isEqualTo(3);
                JsonNode st = api.get("/containers/" + name + "/json").json();
                assertThat(st.path("State").path("Status").asText()).as("run " + run).isIn("restarting", "running");
                assertThat(st.path("RestartCount").asInt()).isEqualTo(run);
            }
            await().atMost(WAIT).until(() -> inspect(docker, "{{.State.Status}} {{.RestartCount}}", name)
                    .equals("exited 3"));
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void always_comesBackAfterADaemonRestart_andStopDisablesIt(WharfdProcess wharfd, DockerCli docker)
            throws Exception {
        String name = Names.unique("always");
        try {
            docker.ok("run", "-d", "--name", name, "--restart", "always", BUSYBOX, "sleep", "1000");
            String id = inspect(docker, "{{.Id}}", name);
            wharfd.stop();
            // the container dies while the daemon is away (as at a host's crash)
            runc(wharfd, "kill", id, "KILL");
            await().atMost(WAIT).until(() -> Files.exists(wharfd.execRoot().resolve("exits").resolve(id)));
            wharfd.restart();
            await().atMost(WAIT).until(() -> inspect(docker, "{{.State.Status}} {{.RestartCount}}", name)
                    .equals("running 1"));
            assertThat(docker.ok("exec", name, "echo", "up").out()).isEqualTo("up");
            docker.ok("stop", "-t", "1", name);
            assertThat(inspect(docker, "{{.State.Status}} {{.RestartCount}}", name)).isEqualTo("exited 1");
            docker.ok("start", name);
            assertThat(inspect(docker, "{{.State.Status}} {{.RestartCount}}", name)).isEqualTo("running 0");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    private static void runc(WharfdProcess wharfd, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("runc", "--root", wharfd.runcRoot().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test
    void renameAndUpdate_changeWhatTheContainerAndTheClientsSee(DockerCli docker, WharfCli wharf, Api api) {
        String a = Names.unique("ren");
        String b = Names.unique("ren");
        String taken = Names.unique("taken");
        try {
            docker.ok("run", "-d", "--name", a, "--memory", "64m", BUSYBOX, "sleep", "1000");
            docker.ok("create", "--name", taken, BUSYBOX, "true");
            CliResult conflict = docker.run("rename", a, taken);
            assertThat(conflict.exitCode()).isNotZero();
            assertThat(conflict.stderr()).contains("is already in use");
            wharf.ok("rename", a, b);
            assertThat(docker.ok("ps", "--filter", "name=" + b, "--format", "{{.Names}}").out()).isEqualTo(b);

            docker.ok("update", "--memory", "96m", "--pids-limit", "30", "--restart", "on-failure:4", b);
            CliResult seen = docker.ok("exec", b, "sh", "-c", cgroupFiles());
            assertThat(seen.lines()).containsExactly(String.valueOf(96L << 20), "30");
            assertThat(inspect(docker, "{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}:"
                    + "{{.HostConfig.RestartPolicy.MaximumRetryCount}}", b)).isEqualTo((96L << 20) + " on-failure:4");

            Api.Response bad = api.postJson("/containers/" + b + "/update", Map.of("NanoCpus", 1_000_000_000_000L,
                    "Memory", 128L << 20)); // a thousand CPUs: refused, and the memory change with it
            assertThat(bad.status()).isEqualTo(400);
            Api.Response wrongType = api.postJson("/containers/" + b + "/update", Map.of("CpuShares", "lots",
                    "Memory", 128L << 20)); // Go's decoder refuses the string before anything changes
            assertThat(wrongType.status()).isEqualTo(400);
            assertThat(wrongType.message())
                    .startsWith("invalid JSON: json: cannot unmarshal string into Go struct field ")
                    .endsWith(".CpuShares of type int64");
            assertThat(inspect(docker, "{{.HostConfig.Memory}}", b)).isEqualTo(String.valueOf(96L << 20));
            wharf.ok("update", "--memory", "80m", b);
            assertThat(docker.ok("exec", b, "sh", "-c", cgroupFiles()).lines().getFirst())
                    .isEqualTo(String.valueOf(80L << 20));

            CliResult ev = wharf.ok("events", "--since", "0", "--until", soon(), "--filter", "container=" + b,
                    "--format", "{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.oldName}}");
            assertThat(ev.lines()).contains("rename " + b + " /" + a).contains("update " + b + " <no value>");
        } finally {
            docker.run("rm", "-f", a, b, taken);
        }
    }

    private static String cgroupFiles() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
                ? "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max"
                : "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max";
    }

    @Test
    void stats_giveEveryFieldTheCliUses(DockerCli docker, WharfCli wharf, Api api) {
        String name = Names.unique("stats");
        try {
            docker.ok("run", "-d", "--name", name, "--memory", "64m", BUSYBOX, "sh", "-c",
                    "head -c 3000000 /dev/zero > /tmp/f; sleep 1000");
            CliResult r = docker.ok("stats", "--no-stream", "--format", "{{.Name}}|{{.MemUsage}}|{{.PIDs}}", name);
            String[] f = r.out().split("\\|");
            assertThat(f[0]).isEqualTo(name);
            assertThat(f[1]).endsWith(" / 64MiB").doesNotStartWith("0B");
            assertThat(f[2]).isEqualTo("1");
            JsonNode s = api.get("/containers/" + name + "/stats?stream=0&one-shot=1").json();
            assertThat(s.at("/cpu_stats/cpu_usage/total_usage").asLong()).isPositive();
            assertThat(s.at("/cpu_stats/system_cpu_usage").asLong()).isPositive();
            assertThat(s.at("/cpu_stats/online_cpus").asInt()).isPositive();
            assertThat(s.at("/memory_stats/limit").asLong()).isEqualTo(64L << 20);
            assertThat(s.at("/pids_stats/current").asInt()).isEqualTo(1);
            assertThat(s.path("networks").has("eth0")).isTrue();
            assertThat(s.path("name").asText()).isEqualTo("/" + name);
            CliResult w = wharf.ok("stats", "--no-stream", name);
            assertThat(w.lines().getFirst()).startsWith("CONTAINER ID   NAME").contains("MEM USAGE / LIMIT");
            assertThat(w.lines().get(1)).contains(name).contains("/ 64MiB");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void healthcheck_goesHealthyThenUnhealthy_inInspectPsAndEvents(DockerCli docker) {
        String name = Names.unique("health");
        String none = Names.unique("nohealth");
        try {
            docker.ok("run", "-d", "--name", name, "--health-cmd", "test -e /tmp/ok", "--health-interval", "200ms",
                    "--health-retries", "2", BUSYBOX, "sh", "-c", "touch /tmp/ok; sleep 1000");
            await().atMost(WAIT).until(() -> inspect(docker, "{{.State.Health.Status}}", name).equals("healthy"));
            assertThat(docker.ok("ps", "--filter", "name=" + name, "--format", "{{.Status}}").out())
                    .endsWith("(healthy)");
            docker.ok("exec", name, "rm", "/tmp/ok");
            await().atMost(WAIT).until(() -> inspect(docker, "{{.State.Health.Status}}", name).equals("unhealthy"));
            assertThat(Integer.parseInt(inspect(docker, "{{.State.Health.FailingStreak}}", name))).isGreaterThan(1);
            assertThat(inspect(docker, "{{(index .State.Health.Log 0).Start}}", name)).isNotEmpty();
            assertThat(docker.ok("ps", "--filter", "health=unhealthy", "--format", "{{.Names}}").lines())
                    .contains(name);
            CliResult ev = docker.ok("events", "--since", "0", "--until", soon(), "--filter", "container=" + name,
                    "--filter", "event=health_status", "--format", "{{.Action}}");
            assertThat(ev.lines()).containsExactly("health_status: healthy", "health_status: unhealthy");

            docker.ok("run", "-d", "--name", none, "--no-healthcheck", BUSYBOX, "sleep", "1000");
            assertThat(inspect(docker, "{{.State.Health}}", none)).isEqualTo("<nil>");
        } finally {
            docker.run("rm", "-f", name, none);
        }
    }

    /**
     * A service that is ready is healthy long before its first regular probe, so compose's
     * service_healthy and --wait do not sit out a whole interval; the failed early probes before
     * the service came up are neither counted nor logged.
     */
    @Test
    void healthcheck_readyServiceIsHealthyBeforeItsFirstInterval_earlyFailuresNotCounted(DockerCli docker) {
        String name = Names.unique("early");
        try {
            docker.ok("run", "-d", "--name", name, "--health-cmd", "test -e /tmp/ok", "--health-interval", "1h",
                    "--health-retries", "1", BUSYBOX, "sh", "-c", "sleep 1; touch /tmp/ok; sleep 1000");
            await().atMost(WAIT).until(() -> inspect(docker, "{{.State.Health.Status}}", name).equals("healthy"));
            assertThat(inspect(docker, "{{.State.Health.FailingStreak}}", name)).isEqualTo("0");
            assertThat(inspect(docker, "{{range .State.Health.Log}}{{.ExitCode}} {{end}}", name).trim())
                    .isEqualTo("0");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void seccomp_defaultProfileBlocksMountAndNamespaces_customAndUnconfinedWork(DockerCli docker, Api api)
            throws Exception {
        CliResult def = docker.run("run", "--rm", BUSYBOX, "sh", "-c",
                "grep Seccomp: /proc/self/status; mount -t tmpfs t /tmp; echo mount=$?");
        assertThat(def.lines()).contains("Seccomp:\t2").doesNotContain("mount=0");
        assertThat(def.stderr()).contains("mount");
        CliResult admin = docker.run("run", "--rm", "--cap-add", "SYS_ADMIN", BUSYBOX, "sh", "-c",
                "mount -t tmpfs t /tmp && echo mounted");
        assertThat(admin.out()).isEqualTo("mounted");
        CliResult unconfined = docker.run("run", "--rm", "--security-opt", "seccomp=unconfined", BUSYBOX, "grep",
                "Seccomp:", "/proc/self/status");
        assertThat(unconfined.out()).isEqualTo("Seccomp:\t0");
        Path profile = TempPaths.file("wharf-seccomp", ".json");
        try {
            Files.writeString(profile, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\","
                    + "\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}");
            CliResult custom = docker.run("run", "--rm", "--security-opt", "seccomp=" + profile, BUSYBOX, "sh", "-c",
                    "mkdir /tmp/x; echo rc=$?");
            assertThat(custom.out()).isEqualTo("rc=1");
            assertThat(custom.stderr()).contains("Operation not permitted");
        } finally {
            Files.deleteIfExists(profile);
        }
        String name = Names.unique("badseccomp");
        Api.Response bad = api.postJson("/containers/create?name=" + name, Map.of("Image", BUSYBOX, "HostConfig",
                Map.of("SecurityOpt", List.of("seccomp={\"syscalls\":[]}"))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.message()).contains("seccomp");
        assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines()).doesNotContain(name);
    }

    /**
     * The default profile is an allowlist, as Docker's: what it does not list fails with EPERM,
     * an unknown syscall number too, while a shell, glibc's threads (clone3 falling back to clone),
     * a JVM and Node run. Each refusal is the filter's: unconfined, the same calls are not EPERM.
     */
    @Test
    void seccomp_defaultIsAnAllowlist_refusingWhatDockersRefuses(DockerCli docker) throws Exception {
        Path probe = Path.of(DockerPoliciesIT.class.getResource("/seccomp/SyscallProbe.java").toURI()).getParent();
        String java = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
        List<String> host = List.of("-v", "/usr:/usr:ro", "-v", "/lib:/lib:ro", "-v", "/lib64:/lib64:ro",
                "-v", probe + ":/probe:ro");
        List<String> calls = List.of("getpid", "kcmp", "userfaultfd", "move_pages", "keyctl", "unshare-user",
                "perf_event_open", "ustat", "pidfd_getfd", "process_madvise", "unknown");

        java.util.function.Function<List<String>, java.util.Map<String, String>> probeWith = flags -> {
            List<String> args = new java.util.ArrayList<>(List.of("run", "--rm"));
            args.addAll(flags);
            args.addAll(host);
            args.addAll(List.of(BUSYBOX, java, "--enable-native-access=ALL-UNNAMED", "/probe/SyscallProbe.java"));
            args.addAll(calls);
            args.addAll(List.of("unshare-uts"));
            CliResult r = docker.run(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isZero();
            java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
            r.lines().forEach(line -> out.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1)));
            return out;
        };

        java.util.Map<String, String> confined = probeWith.apply(List.of());
        assertThat(confined).containsEntry("getpid", "ok");
        for (String refused : List.of("kcmp", "userfaultfd", "move_pages", "keyctl", "unshare-user",
                "perf_event_open", "ustat", "pidfd_getfd", "process_madvise", "unshare-uts")) {
            assertThat(confined).as("%s under the default profile", refused).containsEntry(refused, "errno=1");
        }
        // numbers past the last syscall the filter knows get ENOSYS from runc's stub, as under Docker
        assertThat(confined).containsEntry("unknown", "errno=38");
        java.util.Map<String, String> unconfined = probeWith.apply(List.of("--security-opt", "seccomp=unconfined"));
        for (String call : List.of("kcmp", "userfaultfd", "move_pages", "keyctl", "unshare-user", "perf_event_open",
                "ustat", "pidfd_getfd", "process_madvise")) {
            assertThat(unconfined.get(call)).as("%s without a filter", call).isNotEqualTo("errno=1");
        }

        // capabilities open what they open in Docker
        java.util.Map<String, String> admin = probeWith.apply(List.of("--cap-add", "SYS_ADMIN"));
        assertThat(admin).containsEntry("unshare-uts", "ok").containsEntry("keyctl", "errno=1");
        java.util.Map<String, String> ptrace = probeWith.apply(List.of("--cap-add", "SYS_PTRACE"));
        assertThat(ptrace).containsEntry("kcmp", "ok").containsEntry("unshare-uts", "errno=1");

        // ordinary programs run: a shell, Node's threads, a JVM's threads (glibc's clone3 fallback)
        List<String> node = new java.util.ArrayList<>(List.of("run", "--rm"));
        node.addAll(host);
        node.addAll(List.of(BUSYBOX, "/usr/bin/node", "-e",
                "const {Worker}=require('worker_threads');new Worker('require(\"worker_threads\").parentPort"
                        + ".postMessage(6*7)',{eval:true}).on('message',m=>console.log('node '+m))"));
        assertThat(docker.run(node.toArray(String[]::new)).out()).isEqualTo("node 42");
        assertThat(docker.run("run", "--rm", BUSYBOX, "sh", "-c", "echo $((6*7)) | cat").out()).isEqualTo("42");
    }
}
