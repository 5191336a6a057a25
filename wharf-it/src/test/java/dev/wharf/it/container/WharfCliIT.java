package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The core flows through {@code bin/wharf}, whose output must match the docker CLI's. */
@WharfIT
class WharfCliIT {

    private static final String PS_HEADER =
            "CONTAINER ID\\s{3,}IMAGE\\s{3,}COMMAND\\s{3,}CREATED\\s{3,}STATUS\\s{3,}PORTS\\s{3,}NAMES";

    @Test
    void runRm_printsOutput(WharfCli wharf, DockerCli docker) {
        String name = Names.unique("whi");

        CliResult run = wharf.run("run", "--rm", "--name", name, BUSYBOX, "echo", "hi");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("hi\n");
        assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines()).doesNotContain(name);
    }

    @Test
    void runRm_exitsWithTheProcessExitCode(WharfCli wharf) {
        CliResult run = wharf.run("run", "--rm", BUSYBOX, "sh", "-c", "exit 42");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(42);
    }

    @Test
    void runInteractive_passesStdin(WharfCli wharf) {
        CliResult run = wharf.run("hi\n".getBytes(StandardCharsets.UTF_8), DockerCli.DEFAULT_TIMEOUT, "run", "-i", "--rm", BUSYBOX, "cat");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("hi\n");
    }

    @Test
    void ttyWithPipedStdin_isRefusedAtOnce_andMakesNothing(WharfCli wharf, DockerCli docker) {
        String before = docker.ok("ps", "-aq").out();
        byte[] hi = "hi\n".getBytes(StandardCharsets.UTF_8);
        CliResult run = wharf.run(hi, DockerCli.DEFAULT_TIMEOUT, "run", "--rm", "-it", BUSYBOX, "cat");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.stderr().strip()).isEqualTo("the input device is not a TTY");
        assertThat(docker.ok("ps", "-aq").out()).isEqualTo(before);

        String name = Names.unique("wtty");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sleep", "60");
            CliResult exec = wharf.run(hi, DockerCli.DEFAULT_TIMEOUT, "exec", "-it", name, "cat");
            assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(1);
            assertThat(exec.stderr().strip()).isEqualTo("the input device is not a TTY");
            // -t without -i, and -i without -t, need no terminal
            assertThat(wharf.run(hi, DockerCli.DEFAULT_TIMEOUT, "exec", "-i", name, "cat").out()).isEqualTo("hi");
            assertThat(wharf.run(hi, DockerCli.DEFAULT_TIMEOUT, "exec", "-t", name, "echo", "ok").exitCode()).isZero();
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void detached_psLogsStopRm(WharfCli wharf, DockerCli docker) {
        String name = Names.unique("wlife");
        try {
            CliResult run = wharf.run("run", "-d", "--name", name, BUSYBOX, "sh", "-c", "echo started; sleep 1000");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).matches("[0-9a-f]{64}");

            CliResult ps = wharf.ok("ps");
            assertThat(ps.lines().getFirst()).matches(PS_HEADER);
            String row = ps.lines().stream().filter(l -> l.endsWith(" " + name)).findFirst().orElseThrow(() -> new AssertionError(ps));
            List<String> columns = List.of(row.split("\\s{3,}"));
            assertThat(columns).hasSize(6); // PORTS is empty
            assertThat(columns.get(0)).isEqualTo(run.out().substring(0, 12));
            assertThat(columns.get(1)).isEqualTo(BUSYBOX);
            assertThat(columns.get(2)).isEqualTo("\"sh -c 'echo started…\"");
            assertThat(columns.get(3)).matches("(Less than a second|\\d+ seconds?|About a minute) ago");
            assertThat(columns.get(4)).matches("Up (Less than a second|\\d+ seconds?|About a minute)");
            assertThat(columns.get(5)).isEqualTo(name);
            String format = "{{.ID}}|{{.Image}}|{{.Command}}|{{.Names}}|{{.Ports}}";
            assertThat(wharf.ok("ps", "--format", format).stdout()).isEqualTo(docker.ok("ps", "--format", format).stdout());

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(wharf.ok("logs", name).stdout()).isEqualTo("started\n"));

            CliResult stop = wharf.run("stop", "-t", "1", name);
            assertThat(stop.exitCode()).as(stop.toString()).isZero();
            assertThat(stop.out()).isEqualTo(name);
            assertThat(wharf.ok("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}").out())
                    .matches("Exited \\((137|143)\\) .*");

            CliResult rm = wharf.run("rm", name);
            assertThat(rm.exitCode()).as(rm.toString()).isZero();
            assertThat(rm.out()).isEqualTo(name);
            assertThat(wharf.ok("ps", "-a", "--format", "{{.Names}}").lines()).doesNotContain(name);
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void psFormatAndQuiet_matchTheDockerCli(WharfCli wharf, DockerCli docker) {
        String name = Names.unique("wfmt");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "true");
            docker.ok("wait", name);

            for (List<String> args : List.of(
                    List.of("ps", "--format", "{{.Names}}"),
                    List.of("ps", "-a", "--format", "{{.Names}}"),
                    List.of("ps", "-a", "--filter", "name=" + name, "--format", "{{.ID}} {{.Image}} {{.Command}} {{.Names}}"),
                    List.of("ps", "-a", "-q"),
                    List.of("ps", "-a", "--no-trunc", "-q"),
                    List.of("ps", "--filter", "name=nosuch-" + name))) {
                String[] argv = args.toArray(String[]::new);
                assertThat(wharf.ok(argv).stdout()).as(String.join(" ", args)).isEqualTo(docker.ok(argv).stdout());
            }
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void errors_areOneLineWithNonZeroExit_likeDocker(WharfCli wharf, DockerCli docker) {
        CliResult rm = wharf.run("rm", "nosuch");

        assertThat(rm.exitCode()).isEqualTo(1);
        assertThat(rm.stdout()).isEmpty();
        assertThat(rm.stderr()).isEqualTo("Error response from daemon: No such container: nosuch\n");
        assertThat(rm.stderr()).isEqualTo(docker.run("rm", "nosuch").stderr());

        CliResult logs = wharf.run("logs", "nosuch");
        assertThat(logs.exitCode()).isEqualTo(1);
        assertThat(logs.stderr()).isEqualTo(docker.run("logs", "nosuch").stderr());

        CliResult stop = wharf.run("stop", "nosuch");
        assertThat(stop.exitCode()).isEqualTo(1);
        assertThat(stop.stderr()).isEqualTo(docker.run("stop", "nosuch").stderr());
    }

    @Test
    void prune_asksFirst_listsWhatWent_andTakesNoArguments(WharfCli wharf, DockerCli docker) {
        String label = "wharf-prune=" + Names.unique("p");
        String a = docker.ok("create", "--label", label, BUSYBOX, "true").out();
        byte[] no = "n\n".getBytes(StandardCharsets.UTF_8);
        byte[] yes = "y\n".getBytes(StandardCharsets.UTF_8);

        CliResult declined = wharf.run(no, DockerCli.DEFAULT_TIMEOUT, "container", "prune", "--filter", "label=" + label);
        assertThat(declined.exitCode()).as(declined.toString()).isZero();
        assertThat(declined.stdout()).isEqualTo(
                "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ");
        assertThat(docker.ok("ps", "-aq", "--no-trunc", "--filter", "label=" + label).out()).isEqualTo(a);

        CliResult pruned = wharf.run(yes, DockerCli.DEFAULT_TIMEOUT, "container", "prune", "--filter", "label=" + label);
        assertThat(pruned.exitCode()).as(pruned.toString()).isZero();
        assertThat(pruned.stdout()).contains("Deleted Containers:\n" + a + "\n\nTotal reclaimed space: ");
        assertThat(docker.ok("ps", "-aq", "--filter", "label=" + label).out()).isEmpty();

        String b = docker.ok("create", "--label", label, BUSYBOX, "true").out();
        CliResult system = wharf.run("system", "prune", "-f", "--filter", "label=" + label);
        assertThat(system.exitCode()).as(system.toString()).isZero();
        assertThat(system.stdout()).startsWith("Deleted Containers:\n" + b + "\n\n").contains("Total reclaimed space: ");
        assertThat(docker.ok("ps", "-aq", "--filter", "label=" + label).out()).isEmpty();

        for (String kind : List.of("container", "image", "volume", "network", "system")) {
            CliResult extra = wharf.run(kind, "prune", "-f", "extra");
            assertThat(extra.exitCode()).as(extra.toString()).isEqualTo(1);
            assertThat(extra.stderr()).startsWith("wharf: 'wharf " + kind + " prune' accepts no arguments\n");
        }
    }

    @Test
    void update_setsLimits_andRefusesABadNumber(WharfCli wharf, DockerCli docker) {
        String name = Names.unique("wupd");
        docker.ok("create", "--name", name, BUSYBOX, "true");
        try {
            wharf.ok("update", "--cpu-shares", "512", "--memory", "64m", name);
            assertThat(docker.ok("inspect", "--format", "{{.HostConfig.CpuShares}} {{.HostConfig.Memory}}", name).out())
                    .isEqualTo("512 67108864");

            CliResult bad = wharf.run("update", "--cpu-shares", "lots", name);
            assertThat(bad.exitCode()).isEqualTo(125);
            assertThat(bad.stderr()).startsWith("invalid argument \"lots\" for \"-c, --cpu-shares\" flag: "
                    + "strconv.ParseInt: parsing \"lots\": invalid syntax\n");
            CliResult size = wharf.run("update", "--memory", "64x", name);
            assertThat(size.exitCode()).isEqualTo(125);
            assertThat(size.stderr()).isEqualTo("wharf: invalid argument \"64x\" for \"-m, --memory\" flag: "
                    + "invalid size: '64x'\n");
            assertThat(docker.ok("inspect", "--format", "{{.HostConfig.CpuShares}}", name).out()).isEqualTo("512");
        } finally {
            docker.run("rm", "-f", name);
        }
    }
}
