package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code --log-driver} / {@code --log-opt}: json-file rotation, none, bad options. */
@WharfIT
class DockerLogDriversIT {

    @Test
    void maxSize_rotatesIntoMaxFileFiles_andLogsShowTheNewestLines(DockerCli docker, WharfdProcess wharfd)
            throws IOException {
        String name = Names.unique("rotate");
        try {
            // 300 records of ~70 bytes in bursts of 20 (under one file each), so every rotation is filed
            docker.ok("run", "-d", "--name", name, "--log-opt", "max-size=2k", "--log-opt", "max-file=3", BUSYBOX,
                    "sh", "-c", "i=1; while [ $i -le 300 ]; do echo line-$i-padding-padding; "
                            + "if [ $((i % 20)) -eq 0 ]; then sleep 0.2; fi; i=$((i+1)); done");
            docker.ok("wait", name);
            String id = docker.ok("inspect", "-f", "{{.Id}}", name).out().strip();
            Path dir = wharfd.dataRoot().resolve("containers").resolve(id);
            // the engine files conmon's last rotation as it sees the rename
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(logFiles(dir)).extracting(p -> p.getFileName().toString())
                            .containsExactly("container.log", "container.log.1", "container.log.2"));
            List<Path> kept = logFiles(dir);
            long total = 0;
            for (Path p : kept) {
                assertThat(Files.size(p)).as(p.toString()).isLessThanOrEqualTo(2000);
                total += Files.size(p);
            }
            assertThat(total).isLessThanOrEqualTo(3 * 2000);

            List<String> lines = docker.ok("logs", name).lines();
            assertThat(lines).last().isEqualTo("line-300-padding-padding");
            assertThat(lines.size()).isBetween(40, 100);
            int first = Integer.parseInt(lines.getFirst().split("-")[1]);
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i)).isEqualTo("line-" + (first + i) + "-padding-padding");
            }
            assertThat(docker.ok("logs", "--tail", "2", name).lines())
                    .containsExactly("line-299-padding-padding", "line-300-padding-padding");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void noneDriver_logsAreRefused(DockerCli docker) {
        String name = Names.unique("nolog");
        try {
            docker.ok("run", "-d", "--name", name, "--log-driver", "none", BUSYBOX, "echo", "hi");
            docker.ok("wait", name);

            CliResult logs = docker.run("logs", name);

            assertThat(logs.exitCode()).isNotZero();
            assertThat(logs.stderr()).contains("configured logging driver does not support reading");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void badLogOptions_areRefusedAtCreate(DockerCli docker) {
        String name = Names.unique("badlog");
        CliResult size = docker.run("create", "--name", name, "--log-opt", "max-size=abc", BUSYBOX, "true");
        assertThat(size.exitCode()).isNotZero();
        assertThat(size.stderr()).contains("invalid size: 'abc'");
        CliResult driver = docker.run("create", "--name", name, "--log-driver", "nosuch", BUSYBOX, "true");
        assertThat(driver.exitCode()).isNotZero();
        assertThat(driver.stderr()).contains("no log driver named 'nosuch'");
        CliResult opt = docker.run("create", "--name", name, "--log-opt", "colour=red", BUSYBOX, "true");
        assertThat(opt.exitCode()).isNotZero();
        assertThat(opt.stderr()).contains("unknown log opt 'colour'");
        assertThat(docker.run("inspect", name).exitCode()).isNotZero();
    }

    private static List<Path> logFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("container\\.log(\\.\\d+)?")).sorted().toList();
        }
    }
}
