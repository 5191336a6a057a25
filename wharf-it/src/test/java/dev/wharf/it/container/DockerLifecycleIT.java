package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Detached containers: ps, logs, stop, kill, restart, wait, rm, inspect. */
@WharfIT
class DockerLifecycleIT {

    private static final String SLEEPER = "echo started; sleep 1000";

    @Test
    void detached_psLogsStopRm(DockerCli docker) {
        String name = Names.unique("life");
        try {
            CliResult run = docker.run("run", "-d", "--name", name, BUSYBOX, "sh", "-c", SLEEPER);
            assertThat(run.exitCode()).as(run.toString()).isZero();

            CliResult ps = docker.ok("ps");
            assertThat(ps.lines().getFirst()).matches("CONTAINER ID\\s{3,}IMAGE\\s{3,}COMMAND\\s{3,}CREATED\\s{3,}STATUS\\s{3,}PORTS\\s{3,}NAMES");
            assertThat(ps.lines()).anySatisfy(line -> {
                assertThat(line).startsWith(run.out().substring(0, 12)).endsWith(" " + name).contains(BUSYBOX).contains("Up ");
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(docker.ok("logs", name).stdout()).isEqualTo("started\n"));

            CliResult stop = docker.run("stop", "-t", "1", name);
            assertThat(stop.exitCode()).as(stop.toString()).isZero();
            assertThat(stop.out()).isEqualTo(name);

            String status = docker.ok("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}").out();
            assertThat(status).matches("Exited \\((137|143)\\) .*");
            assertThat(docker.ok("ps", "--format", "{{.Names}}").lines()).doesNotContain(name);

            CliResult rm = docker.run("rm", name);
            assertThat(rm.exitCode()).as(rm.toString()).isZero();
            assertThat(rm.out()).isEqualTo(name);
            assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines()).doesNotContain(name);
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void kill_stopsAtOnceWith137(DockerCli docker) {
        String name = Names.unique("kill");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c", SLEEPER);

            CliResult kill = docker.run("kill", name);

            assertThat(kill.exitCode()).as(kill.toString()).isZero();
            assertThat(kill.out()).isEqualTo(name);
            assertThat(docker.ok("wait", name).out()).isEqualTo("137");
            assertThat(docker.ok("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}").out()).startsWith("Exited (137)");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void restart_runsTheCommandAgain(DockerCli docker) {
        String name = Names.unique("restart");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c", "echo boot; sleep 1000");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(docker.ok("logs", name).stdout()).isEqualTo("boot\n"));

            CliResult restart = docker.run("restart", "-t", "1", name);

            assertThat(restart.exitCode()).as(restart.toString()).isZero();
            assertThat(restart.out()).isEqualTo(name);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(docker.ok("logs", name).stdout()).isEqualTo("boot\nboot\n"));
            assertThat(docker.ok("inspect", "--format", "{{.State.Status}}", name).out()).isEqualTo("running");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void rmForce_removesARunningContainer(DockerCli docker) {
        String name = Names.unique("rmf");
        docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c", SLEEPER);

        CliResult refused = docker.run("rm", name);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("You cannot remove a running container");

        CliResult rm = docker.run("rm", "-f", name);

        assertThat(rm.exitCode()).as(rm.toString()).isZero();
        assertThat(rm.out()).isEqualTo(name);
        assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines()).doesNotContain(name);
    }

    @Test
    void wait_printsTheExitCode(DockerCli docker) {
        String name = Names.unique("wait");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c", "sleep 0.5; exit 5");

            CliResult wait = docker.run("wait", name);

            assertThat(wait.exitCode()).as(wait.toString()).isZero();
            assertThat(wait.out()).isEqualTo("5");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void ps_filterFormatQuietAll(DockerCli docker) {
        String running = Names.unique("psrun");
        String exited = Names.unique("psexit");
        try {
            String runningId = docker.ok("run", "-d", "--name", running, BUSYBOX, "sh", "-c", SLEEPER).out();
            docker.ok("run", "-d", "--name", exited, BUSYBOX, "true");
            docker.ok("wait", exited);

            assertThat(docker.ok("ps", "--filter", "name=" + running, "--format", "{{.Names}}").out()).isEqualTo(running);
            assertThat(docker.ok("ps", "--filter", "name=" + exited, "--format", "{{.Names}}").out()).isEmpty();
            assertThat(docker.ok("ps", "-a", "--filter", "name=" + exited, "--format", "{{.Names}}").out()).isEqualTo(exited);
            assertThat(docker.ok("ps", "-q", "--filter", "name=" + running).out()).isEqualTo(runningId.substring(0, 12));
            assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines()).contains(running, exited);
            assertThat(docker.ok("ps", "--format", "{{.Names}}").lines()).contains(running).doesNotContain(exited);
            assertThat(docker.ok("ps", "-a", "--filter", "name=" + exited, "--format", "{{.Image}}|{{.Command}}").out())
                    .isEqualTo(BUSYBOX + "|\"true\"");
        } finally {
            docker.run("rm", "-f", running, exited);
        }
    }

    @Test
    void inspect_showsStateConfigNameAndId(DockerCli docker) throws Exception {
        String name = Names.unique("inspect");
        try {
            String id = docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c", "exit 3").out();
            docker.ok("wait", name);

            CliResult inspect = docker.ok("inspect", name);

            JsonNode c = Api.JSON.readTree(inspect.stdout());
            assertThat(c.isArray()).isTrue();
            assertThat(c.size()).isEqualTo(1);
            JsonNode first = c.get(0);
            assertThat(first.path("Id").asText()).isEqualTo(id);
            assertThat(first.path("Name").asText()).isEqualTo("/" + name);
            assertThat(first.path("State").path("Status").asText()).isEqualTo("exited");
            assertThat(first.path("State").path("Running").asBoolean()).isFalse();
            assertThat(first.path("State").path("ExitCode").asInt()).isEqualTo(3);
            assertThat(first.path("State").path("StartedAt").asText()).doesNotStartWith("0001-");
            assertThat(first.path("Config").path("Cmd").toString()).isEqualTo("[\"sh\",\"-c\",\"exit 3\"]");
            assertThat(first.path("Config").path("Image").asText()).isEqualTo(BUSYBOX);
            assertThat(first.path("Image").asText()).matches("sha256:[0-9a-f]{64}");
            assertThat(Pattern.matches("\\d{4}-\\d\\d-\\d\\dT.*Z", first.path("Created").asText())).isTrue();
            assertThat(docker.ok("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", id.substring(0, 12)).out())
                    .isEqualTo("exited 3");

            CliResult missing = docker.run("inspect", "nosuch-" + name);
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.stderr()).contains("No such object: nosuch-" + name);
            assertThat(List.of(missing.stdout().strip())).containsAnyOf("[]", "");
        } finally {
            docker.run("rm", "-f", name);
        }
    }
}
