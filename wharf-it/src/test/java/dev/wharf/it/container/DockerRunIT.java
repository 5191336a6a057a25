package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code docker run}, {@code create}, {@code start -a} and {@code attach} as a user sees them. */
@WharfIT
class DockerRunIT {

    @Test
    void runRm_printsOutput_andRemovesTheContainer(DockerCli docker) {
        String name = Names.unique("hi");

        CliResult run = docker.run("run", "--rm", "--name", name, BUSYBOX, "echo", "hi");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("hi\n");
        assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines()).doesNotContain(name);
    }

    @Test
    void runRm_exitsWithTheProcessExitCode(DockerCli docker) {
        CliResult run = docker.run("run", "--rm", BUSYBOX, "sh", "-c", "exit 42");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(42);
    }

    @Test
    void run_unknownCommand_exits127_andRmStillRemoves(DockerCli docker) {
        String name = Names.unique("nocmd");

        CliResult run = docker.run("run", "--rm", "--name", name, BUSYBOX, "nosuchcmd");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(127);
        assertThat(run.stderr()).contains("nosuchcmd");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines()).doesNotContain(name));
    }

    @Test
    void runInteractive_passesStdinToTheProcess(DockerCli docker) {
        CliResult run = docker.run("hi\n".getBytes(StandardCharsets.UTF_8), DockerCli.DEFAULT_TIMEOUT,
                "run", "-i", "--rm", BUSYBOX, "cat");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("hi\n");
    }

    @Test
    void runTty_outputHasTerminalLineEndings(DockerCli docker) {
        CliResult run = docker.run("run", "-t", "--rm", BUSYBOX, "echo", "tty");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("tty\r\n");
    }

    @Test
    void runDetached_printsTheFullId(DockerCli docker) {
        String name = Names.unique("detach");
        try {
            CliResult run = docker.run("run", "-d", "--name", name, BUSYBOX, "true");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).matches("[0-9a-f]{64}");
            assertThat(docker.ok("wait", name).out()).isEqualTo("0");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void createThenStartAttached_printsOutputAndExitCode(DockerCli docker) {
        String name = Names.unique("create");
        try {
            CliResult create = docker.run("create", "--name", name, BUSYBOX, "sh", "-c", "echo created-then-started; exit 3");
            assertThat(create.exitCode()).as(create.toString()).isZero();
            assertThat(create.out()).matches("[0-9a-f]{64}");
            assertThat(docker.ok("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}").out()).isEqualTo("Created");

            CliResult start = docker.run("start", "-a", name);

            assertThat(start.exitCode()).as(start.toString()).isEqualTo(3);
            assertThat(start.stdout()).isEqualTo("created-then-started\n");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void attach_streamsOutputUntilExit_andReturnsTheExitCode(DockerCli docker) {
        String name = Names.unique("attach");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c",
                    "i=0; while [ $i -lt 15 ]; do echo tick$i; i=$((i+1)); sleep 0.2; done; echo bye; exit 3");

            CliResult attach = docker.run("attach", name);

            assertThat(attach.exitCode()).as(attach.toString()).isEqualTo(3);
            assertThat(attach.stdout()).contains("tick1").endsWith("bye\n");
        } finally {
            docker.run("rm", "-f", name);
        }
    }
}
