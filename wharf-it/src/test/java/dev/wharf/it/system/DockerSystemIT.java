package dev.wharf.it.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.WharfIT;
import org.junit.jupiter.api.Test;

/** {@code docker version} and {@code docker info} against wharfd. */
@WharfIT
class DockerSystemIT {

    @Test
    void version_showsTheServerSection(DockerCli docker) {
        CliResult version = docker.run("version");

        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.stdout()).contains("Client:", "Server:", "Engine:", "API version:", "OS/Arch:", "linux/amd64");
        assertThat(version.stdout()).containsPattern("API version:\\s+1\\.44 \\(minimum version 1\\.24\\)");
        assertThat(docker.ok("version", "--format", "{{.Server.APIVersion}}").out()).isEqualTo("1.44");
        assertThat(docker.ok("version", "--format", "{{.Server.Version}}").out()).matches("\\d+\\.\\d+\\.\\d+.*");
        // the engine's build time, as Docker's daemon reports its own (RFC 3339 with nanoseconds)
        assertThat(docker.ok("version", "--format", "{{.Server.BuildTime}}").out())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}\\+00:00");
    }

    @Test
    void info_showsServerFields(DockerCli docker) {
        CliResult info = docker.run("info");

        assertThat(info.exitCode()).as(info.toString()).isZero();
        assertThat(info.stdout()).contains("Server:", "Containers:", "Images:", "Server Version:", "Operating System:", "Total Memory:");
        assertThat(docker.ok("info", "--format", "{{.OSType}}").out()).isEqualTo("linux");
        assertThat(Integer.parseInt(docker.ok("info", "--format", "{{.Images}}").out())).isGreaterThanOrEqualTo(1);
        assertThat(docker.ok("info", "--format", "{{.Containers}}").out()).matches("\\d+");
    }
}
