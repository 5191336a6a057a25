package dev.wharf.it.network;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.TempPaths;
import dev.wharf.it.kit.TestImages;
import dev.wharf.it.kit.WharfdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Isolation between networks fails closed: when iptables-restore refuses Wharf's isolation rules,
 * the network is not made and containers do not start on a bridge without them, each with the
 * tool's own message; a container without a network still runs.
 */
class FailClosedIsolationIT {

    @Test
    void aFailingIptablesRestore_failsTheNetworkAndTheStart_withTheToolsMessage() throws Exception {
        Path bin = TempPaths.dir("wharf-it-fake-iptables");
        Path tool = bin.resolve("iptables-restore");
        Files.writeString(tool, "#!/bin/sh\ncat >/dev/null\necho 'iptables-restore: line 3 failed' >&2\nexit 1\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (WharfdProcess wharfd = WharfdProcess.startWithEnv(Map.of("PATH", bin + ":" + System.getenv("PATH")))) {
            DockerCli docker = new DockerCli(wharfd.socket());
            TestImages.importBusybox(wharfd.api());

            CliResult net = docker.run("network", "create", "unisolated");
            assertThat(net.exitCode()).as(net.toString()).isNotZero();
            assertThat(net.stderr()).contains("cannot isolate network unisolated")
                    .contains("iptables-restore failed: iptables-restore: line 3 failed");
            assertThat(docker.ok("network", "ls", "--format", "{{.Name}}").lines()).doesNotContain("unisolated");

            CliResult run = docker.run("run", "--rm", BUSYBOX, "true");
            assertThat(run.exitCode()).as(run.toString()).isNotZero();
            assertThat(run.stderr()).contains("iptables-restore failed: iptables-restore: line 3 failed");

            assertThat(docker.run("run", "--rm", "--network", "none", BUSYBOX, "echo", "alone").out())
                    .isEqualTo("alone");
            assertThat(docker.ok("ps", "-aq").out()).isEmpty();
        } finally {
            Files.deleteIfExists(tool);
            Files.deleteIfExists(bin);
        }
    }
}
