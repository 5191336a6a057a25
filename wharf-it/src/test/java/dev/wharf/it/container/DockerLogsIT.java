package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code docker logs}: streams kept apart, --tail, -t, -f. */
@WharfIT
class DockerLogsIT {

    @Test
    void logs_keepStdoutAndStderrApart(DockerCli docker) {
        String name = Names.unique("streams");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c", "echo out; echo err >&2; echo out2");
            docker.ok("wait", name);

            CliResult logs = docker.run("logs", name);

            assertThat(logs.exitCode()).as(logs.toString()).isZero();
            assertThat(logs.stdout()).isEqualTo("out\nout2\n");
            assertThat(logs.stderr()).isEqualTo("err\n");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void logs_tail1_showsTheLastLine(DockerCli docker) {
        String name = Names.unique("tail");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c", "echo one; echo two; echo three");
            docker.ok("wait", name);

            assertThat(docker.ok("logs", "--tail", "1", name).stdout()).isEqualTo("three\n");
            assertThat(docker.ok("logs", "--tail", "all", name).stdout()).isEqualTo("one\ntwo\nthree\n");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void logs_timestamps_prefixEachLineWithRfc3339Nanos(DockerCli docker) {
        String name = Names.unique("ts");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c", "echo one; echo two");
            docker.ok("wait", name);

            CliResult logs = docker.ok("logs", "-t", name);

            assertThat(logs.lines()).hasSize(2);
            assertThat(logs.lines().get(0)).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z one");
            assertThat(logs.lines().get(1)).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z two");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void logsFollow_endsWhenTheContainerExits(DockerCli docker) {
        String name = Names.unique("follow");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sh", "-c", "echo a; sleep 1; echo b");

            CliResult logs = docker.run(null, Duration.ofSeconds(20), "logs", "-f", name);

            assertThat(logs.exitCode()).as(logs.toString()).isZero();
            assertThat(logs.stdout()).isEqualTo("a\nb\n");
        } finally {
            docker.run("rm", "-f", name);
        }
    }
}
