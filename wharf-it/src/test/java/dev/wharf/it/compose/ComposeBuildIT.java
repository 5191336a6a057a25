package dev.wharf.it.compose;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.DockerCompose;
import dev.wharf.it.kit.LocalRegistry;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.TempPaths;
import dev.wharf.it.kit.WharfCli;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A project whose service is built from a Dockerfile and whose other service comes from a
 * registry: {@code wharf compose build/up --build/push/pull/down --rmi}, and the same build through
 * docker-compose 1.29.
 */
@WharfIT
class ComposeBuildIT {

    private static Path project(String name, String image, String version) throws IOException {
        Path dir = TempPaths.dir("wharf-it-compose-build-").resolve(name);
        Files.createDirectories(dir.resolve("app"));
        Files.writeString(dir.resolve("app/Dockerfile"), """
                FROM %s
                ARG VERSION=0
                RUN mkdir -p /www && echo "app $VERSION" > /www/index.html
                CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
                """.formatted(BUSYBOX));
        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  app:
                    build:
                      context: ./app
                      args:
                        VERSION: "%s"
                    image: %s
                  probe:
                    image: %s
                    command: ["sh", "-c", "sleep 1000"]
                """.formatted(version, image, BUSYBOX));
        return dir;
    }

    private static String[] in(Path dir, String... args) {
        String[] out = new String[args.length + 3];
        out[0] = "compose";
        out[1] = "--project-directory";
        out[2] = dir.toString();
        System.arraycopy(args, 0, out, 3, args.length);
        return out;
    }

    @Test
    @Timeout(600)
    void buildUpPushPullDown_throughWharfCompose(WharfCli wharf, DockerCli docker) throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(LocalRegistry.Options.plain())) {
            String image = registry.host() + "/wharf-test/" + Names.unique("app") + ":1";
            Path dir = project("cbuild", image, "1");
            try {
                run(wharf, docker, dir, image);
            } finally {
                wharf.run(in(dir, "down", "-v"));
                docker.run("rmi", image);
            }
        }
    }

    private static void run(WharfCli wharf, DockerCli docker, Path dir, String image) throws IOException {
        {
            CliResult build = wharf.run(in(dir, "build"));
            assertThat(build.exitCode()).as(build.toString()).isZero();
            assertThat(docker.ok("image", "inspect", "-f", "{{.Id}}", image).out()).startsWith("sha256:");

            CliResult up = wharf.run(in(dir, "up", "-d"));
            assertThat(up.exitCode()).as(up.toString()).isZero();
            assertThat(docker.ok("exec", "cbuild-app-1", "cat", "/www/index.html").out()).isEqualTo("app 1");

            // a changed build arg: up --build rebuilds and recreates the service, and only it
            String probeId = docker.ok("inspect", "-f", "{{.Id}}", "cbuild-probe-1").out();
            Files.writeString(dir.resolve("compose.yaml"),
                    Files.readString(dir.resolve("compose.yaml")).replace("VERSION: \"1\"", "VERSION: \"2\""));
            CliResult rebuilt = wharf.run(in(dir, "up", "-d", "--build"));
            assertThat(rebuilt.exitCode()).as(rebuilt.toString()).isZero();
            assertThat(docker.ok("exec", "cbuild-app-1", "cat", "/www/index.html").out()).isEqualTo("app 2");
            assertThat(docker.ok("inspect", "-f", "{{.Id}}", "cbuild-probe-1").out()).isEqualTo(probeId);

            CliResult push = wharf.run(in(dir, "push"));
            assertThat(push.exitCode()).as(push.toString()).isZero();
            CliResult down = wharf.run(in(dir, "down"));
            assertThat(down.exitCode()).as(down.toString()).isZero();
            docker.ok("rmi", image); // (down --rmi all would take the shared busybox of the probe too)

            // pull brings the pushed image back; up then runs it without building
            CliResult pull = wharf.run(in(dir, "pull", "app"));
            assertThat(pull.exitCode()).as(pull.toString()).isZero();
            CliResult again = wharf.run(in(dir, "up", "-d", "--no-build", "app"));
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(docker.ok("exec", "cbuild-app-1", "cat", "/www/index.html").out()).isEqualTo("app 2");
            assertThat(wharf.run(in(dir, "down")).exitCode()).isZero();
        }
    }

    @Test
    @Timeout(600)
    void dockerCompose129_buildsAndRunsTheSameProject(WharfdProcess wharfd, DockerCli docker) throws Exception {
        DockerCompose compose = new DockerCompose(wharfd.socket());
        String image = "wharf-test/" + Names.unique("dcapp") + ":1";
        Path dir = project("dcbuild", image, "7");
        String file = dir.resolve("compose.yaml").toString();
        try {
            CliResult up = compose.run("-f", file, "-p", "dcbuild", "up", "-d", "--build");
            assertThat(up.exitCode()).as(up.toString()).isZero();
            assertThat(up.stdout() + up.stderr()).contains("Successfully built");
            assertThat(docker.ok("exec", "dcbuild_app_1", "cat", "/www/index.html").out()).isEqualTo("app 7");
        } finally {
            CliResult down = compose.run("-f", file, "-p", "dcbuild", "down", "--rmi", "local", "-v");
            assertThat(down.exitCode()).as(down.toString()).isZero();
            docker.run("rmi", image);
        }
    }
}
