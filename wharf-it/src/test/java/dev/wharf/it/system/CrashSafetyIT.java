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
            Thread.sleep(1000);
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
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c", "sleep 2; exit 7");

            wharfd.kill9();
            Thread.sleep(3500);
            wharfd.restart();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(docker.ok("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}").out()).startsWith("Exited (7)"));
            assertThat(docker.ok("wait", name).out()).isEqualTo("7");
            assertThat(docker.ok("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name).out()).isEqualTo("exited 7");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    private static int ticks(DockerCli docker, String name) {
        return (int) docker.ok("logs", name).lines().stream().filter("tick"::equals).count();
    }
}
