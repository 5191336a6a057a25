package dev.wharf.it.system;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Containers outlive a SIGKILLed wharfd, and a restarted wharfd picks them up again. */
@WharfIT
class CrashSafetyIT {

    @Test
    void runningContainer_survivesKill9_andIsControllableAfterRestart(WharfdProcess wharfd, DockerCli docker) throws Exception {
        String name = Names.unique("survivor");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c", "while true; do echo tick; sleep 0.2; done");
            await().atMost(Duration.ofSeconds(10)).until(() -> docker.ok("logs", name).stdout().contains("tick"));

            wharfd.kill9();
            wharfd.restart();

            assertThat(docker.ok("ps", "--filter", "name=" + name, "--format", "{{.Names}} {{.Status}}").out())
                    .startsWith(name + " Up ");
            assertThat(docker.ok("inspect", "--format", "{{.State.Status}}", name).out()).isEqualTo("running");
            int ticks = ticks(docker, name);
            assertThat(ticks).isGreaterThan(3);
            await().atMost(Duration.ofSeconds(10)).until(() -> ticks(docker, name) > ticks);

            CliResult stop = docker.run("stop", "-t", "1", name);
            assertThat(stop.exitCode()).as(stop.toString()).isZero();
            assertThat(docker.ok("wait", name).out()).isIn("137", "143");
            assertThat(docker.ok("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}").out()).matches("Exited \\((137|143)\\) .*");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void containerThatExitsWhileWharfdIsDown_showsItsExitCodeAfterRestart(WharfdProcess wharfd, DockerCli docker) throws Exception {
        String name = Names.unique("exitdown");
        try {
            String id = docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c", "sleep 2; exit 7").out().strip();

            wharfd.kill9();
            // the container exits while no daemon runs: its conmon records the code and ends
            await().atMost(Duration.ofSeconds(20)).until(() -> wharfd.conmons().stream()
                    .noneMatch(p -> p.info().commandLine().orElse("").contains(id)));
            wharfd.restart();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(docker.ok("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}").out()).startsWith("Exited (7)"));
            assertThat(docker.ok("wait", name).out()).isEqualTo("7");
            assertThat(docker.ok("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).out()).isEqualTo("exited 7");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void healthStatusAndLog_surviveKill9_andTheChecksGoOn(WharfdProcess wharfd, DockerCli docker) {
        // "still": probes every 200ms in its start period, then once an hour, so its log stays as it
        // was at the crash; "going": probes every 200ms, so a change made after the restart shows.
        String still = Names.unique("healthstill");
        String going = Names.unique("healthgoing");
        String health = "{{.State.Health.Status}} {{.State.Health.FailingStreak}} {{len .State.Health.Log}}";
        try {
            docker.ok("run", "-d", "--name", still, "--health-cmd", "echo probed", "--health-start-period", "1h",
                    "--health-start-interval", "200ms", "--health-interval", "1h", BUSYBOX, "sleep", "1000");
            docker.ok("run", "-d", "--name", going, "--health-cmd", "test -e /tmp/ok", "--health-interval", "200ms",
                    "--health-retries", "1", BUSYBOX, "sh", "-c", "touch /tmp/ok; sleep 1000");
            await().atMost(Duration.ofSeconds(20)).until(() -> inspect(docker, health, still).equals("healthy 0 1")
                    && inspect(docker, health, going).startsWith("healthy 0 "));
            String entry = inspect(docker, "{{with index .State.Health.Log 0}}{{.Start}} {{.ExitCode}} {{.Output}}{{end}}",
                    still);
            assertThat(entry).endsWith(" 0 probed");

            wharfd.kill9();
            wharfd.restart();

            assertThat(inspect(docker, health, still)).isEqualTo("healthy 0 1");
            assertThat(inspect(docker, "{{with index .State.Health.Log 0}}{{.Start}} {{.ExitCode}} {{.Output}}{{end}}",
                    still)).isEqualTo(entry);
            assertThat(docker.ok("ps", "--filter", "name=" + still, "--format", "{{.Status}}").out())
                    .endsWith("(healthy)");
            assertThat(inspect(docker, "{{.State.Health.Status}}", going)).isEqualTo("healthy");

            docker.ok("exec", going, "rm", "/tmp/ok");
            await().atMost(Duration.ofSeconds(20)).until(() -> inspect(docker, "{{.State.Health.Status}}", going)
                    .equals("unhealthy"));
            assertThat(inspect(docker, "{{range .State.Health.Log}}{{.ExitCode}} {{end}}", going)).endsWith(" 1");
        } finally {
            docker.run("rm", "-f", still, going);
        }
    }

    private static String inspect(DockerCli docker, String format, String name) {
        return docker.ok("inspect", "-f", format, name).out();
    }

    private static int ticks(DockerCli docker, String name) {
        return (int) docker.ok("logs", name).lines().stream().filter("tick"::equals).count();
    }
}
