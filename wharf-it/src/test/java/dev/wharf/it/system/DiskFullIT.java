package dev.wharf.it.system;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.TestImages;
import dev.wharf.it.kit.WharfdProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The disk under the data root fills up, as a container that writes without end fills it: the
 * daemon stays up, says "no space left on device", makes nothing half, and the user can still do
 * what frees space (remove the container), after which everything works again, also across a
 * daemon restart made while the disk was full.
 */
class DiskFullIT {

    @Test
    @Timeout(240)
    void aFullDisk_failsClearly_andRemovingTheContainerThatFilledItRecovers() {
        try (WharfdProcess wharfd = WharfdProcess.startOnSmallDisk(48L << 20)) {
            DockerCli docker = new DockerCli(wharfd.socket());
            TestImages.importBusybox(wharfd.api());

            docker.ok("run", "-d", "--name", "filler", "--network", "none", BUSYBOX, "sh", "-c",
                    "dd if=/dev/zero of=/fill bs=1M count=200; sleep 3600");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.getFileStore(wharfd.dataRoot()).getUsableSpace() == 0);
            CliResult more = docker.run("run", "--name", "more", "--network", "none", BUSYBOX, "echo", "more");
            assertThat(more.exitCode()).as(more.toString()).isNotZero();
            assertThat(more.stderr()).contains("no space left on device");
            assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines()).containsExactly("filler");
            CliResult build = docker.run("FROM %s\nRUN echo built\n".formatted(BUSYBOX)
                    .getBytes(StandardCharsets.UTF_8), DockerCli.DEFAULT_TIMEOUT, "build", "-t", "full", "-");
            assertThat(build.exitCode()).as(build.toString()).isNotZero();
            assertThat(build.stderr()).contains("no space left on device").doesNotContain("invalid");

            // a daemon (re)started on the full disk still removes what fills it
            wharfd.restart();
            docker.ok("rm", "-f", "filler");
            assertThat(docker.ok("run", "--rm", "--network", "none", BUSYBOX, "echo", "room again").out())
                    .isEqualTo("room again");
            assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").out()).isEmpty();
            assertThat(wharfd.isAlive()).isTrue();
        }
    }
}
