package dev.wharf.it.system;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.ProcessRunner;
import dev.wharf.it.kit.WharfIT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose 1.29 itself against wharfd: it reads {@code ContainerConfig} from image inspect
 * when it recreates a service, so changing a service's environment and running {@code up -d}
 * again must leave the service recreated and running (it used to end in KeyError with none).
 */
@WharfIT
class ComposeRecreateIT {

    private static CliResult compose(DockerCli docker, Path dir, String project, String... args) {
        List<String> cmd = ProcessRunner.concat(List.of("docker-compose", "--no-ansi", "-p", project, "-f",
                dir.resolve("docker-compose.yml").toString()), args);
        return ProcessRunner.run(cmd, docker.env(), null, Duration.ofSeconds(90));
    }

    private static void write(Path dir, String color) throws IOException {
        Files.writeString(dir.resolve("docker-compose.yml"), """
                version: "3.7"
                services:
                  web:
                    image: %s
                    command: ["sleep", "300"]
                    environment:
                      COLOR: %s
                """.formatted(BUSYBOX, color));
    }

    @Test
    void upAfterAChange_recreatesTheServiceAndItRuns(DockerCli docker, Api api, @TempDir Path dir) throws IOException {
        String project = Names.unique("cmp").replace("-", "");
        try {
            write(dir, "red");
            CliResult first = compose(docker, dir, project, "up", "-d");
            assertThat(first.exitCode()).as(first.toString()).isZero();

            write(dir, "blue");
            CliResult second = compose(docker, dir, project, "up", "-d");
            assertThat(second.exitCode()).as(second.toString()).isZero();
            assertThat(second.stderr()).contains("Recreating");

            List<String> running = docker.ok("ps", "-q", "--filter", "label=com.docker.compose.project=" + project)
                    .lines();
            assertThat(running).hasSize(1);
            assertThat(docker.ok("inspect", "-f", "{{.State.Status}} {{range .Config.Env}}{{.}} {{end}}",
                    running.getFirst()).out()).startsWith("running").contains("COLOR=blue");
            assertThat(api.get("/v1.41/images/" + BUSYBOX + "/json").json().has("ContainerConfig")).isTrue();
        } finally {
            compose(docker, dir, project, "down", "-t", "1");
        }
    }
}
