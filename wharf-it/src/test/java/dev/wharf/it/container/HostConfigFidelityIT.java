package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Options a client sends are applied, or refused with Docker's error, or reported in create's
 * Warnings — never accepted and silently dropped.
 */
@WharfIT
class HostConfigFidelityIT {

    /** The first disk of this host, as {@code /dev/NAME} and {@code MAJOR:MINOR}. */
    private static String[] disk() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/sys/block"))) {
            Path d = s.filter(p -> !p.getFileName().toString().matches("(loop|ram|zram|nbd).*")).sorted()
                    .findFirst().orElseThrow();
            return new String[] {"/dev/" + d.getFileName(), Files.readString(d.resolve("dev")).strip()};
        }
    }

    @Test
    void blockIoThrottles_cgroupParentAndSystemPaths_areApplied(DockerCli docker) throws Exception {
        String[] disk = disk();
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        String throttle = v2 ? "cat /sys/fs/cgroup/io.max" : "cat /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device "
                + "/sys/fs/cgroup/blkio/blkio.throttle.write_iops_device";
        CliResult r = docker.run("run", "--rm", "--device-read-bps", disk[0] + ":1mb", "--device-write-iops",
                disk[0] + ":77", BUSYBOX, "sh", "-c", throttle);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        if (v2) {
            assertThat(r.out()).contains(disk[1] + " rbps=1048576").contains("wiops=77");
        } else {
            assertThat(r.lines()).containsExactly(disk[1] + " 1048576", disk[1] + " 77");
        }

        String parent = "wharf-it-parent-" + Names.unique("p").substring(0, 6);
        try {
            CliResult cg = docker.run("run", "--rm", "--cgroup-parent", parent, BUSYBOX, "cat", "/proc/self/cgroup");
            assertThat(cg.exitCode()).as(cg.toString()).isZero();
            assertThat(cg.out()).contains("/" + parent + "/");
        } finally {
            removeEmptyCgroups(parent);
        }

        String masked = "grep -c ' /proc/keys ' /proc/self/mountinfo";
        assertThat(docker.run("run", "--rm", BUSYBOX, "sh", "-c", masked).out()).isEqualTo("1");
        assertThat(docker.run("run", "--rm", "--security-opt", "systempaths=unconfined", BUSYBOX, "sh", "-c", masked)
                .out()).isEqualTo("0");

        CliResult noDisk = docker.run("run", "--rm", "--device-read-bps", "/dev/null:1mb", BUSYBOX, "true");
        assertThat(noDisk.exitCode()).isNotZero();
        assertThat(noDisk.stderr()).contains("/dev/null is not a block device");
    }

    @Test
    void annotations_reachTheRuntimeSpec(Api api, WharfdProcess wharfd) throws Exception {
        String name = Names.unique("annot");
        Api.Response created = api.postJson("/containers/create?name=" + name, Map.of("Image", BUSYBOX, "Cmd",
                List.of("sleep", "30"), "HostConfig", Map.of("Annotations", Map.of("org.example.team", "wharf"))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("Id").asText();
        try {
            assertThat(api.post("/containers/" + id + "/start").status()).isEqualTo(204);
            JsonNode spec = Api.JSON.readTree(wharfd.execRoot().resolve("containers").resolve(id)
                    .resolve("config.json").toFile());
            assertThat(spec.path("annotations").path("org.example.team").asText()).isEqualTo("wharf");
        } finally {
            api.delete("/containers/" + id + "?force=1");
        }
    }

    @Test
    void optionsThatCannotRun_areRefusedWithDockersErrors_andMakeNothing(DockerCli docker, Api api) {
        String before = docker.ok("ps", "-aq").out();
        CliResult gpus = docker.run("run", "--rm", "--gpus", "all", BUSYBOX, "true");
        assertThat(gpus.exitCode()).isNotZero();
        assertThat(gpus.stderr()).contains("could not select device driver \"\" with capabilities: [[gpu]]");
        assertThat(docker.run("run", "--rm", "--runtime", "crun", BUSYBOX, "true").stderr())
                .contains("unknown or invalid runtime name: crun");
        assertThat(docker.run("run", "--rm", "--isolation", "hyperv", BUSYBOX, "true").stderr())
                .contains("invalid isolation: \"hyperv\" - linux only supports 'default'");
        assertThat(docker.run("run", "--rm", "--storage-opt", "size=1G", BUSYBOX, "true").stderr())
                .contains("--storage-opt is supported only for overlay over xfs with 'pquota' mount option");
        // the driver is looked up only for a volume it would make (Docker accepts it otherwise)
        assertThat(docker.run("run", "--rm", "--volume-driver", "nfsplugin", "-v", Names.unique("nfsvol") + ":/data",
                BUSYBOX, "true").stderr()).contains("plugin \"nfsplugin\" not found");
        Api.Response qos = api.postJson("/containers/create", Map.of("Image", BUSYBOX, "HostConfig",
                Map.of("IOMaximumBandwidth", 1000)));
        assertThat(qos.status()).isEqualTo(400);
        assertThat(qos.message()).isEqualTo("Invalid QoS settings: linux does not support Maximum IO Bandwidth or "
                + "Maximum IO IOps");
        assertThat(docker.ok("ps", "-aq").out()).isEqualTo(before);
    }

    @Test
    void optionsNotApplied_areReportedInCreatesWarnings(DockerCli docker, Api api) {
        String name = Names.unique("warned");
        try {
            CliResult created = docker.run("create", "--name", name, "--security-opt", "apparmor=my-profile",
                    "--security-opt", "label=type:svirt_apache_t", "-p", "[::1]:18999:80", BUSYBOX, "true");
            assertThat(created.exitCode()).as(created.toString()).isZero();
            assertThat(created.stderr()).contains("WARNING: AppArmor is not enabled on this host",
                    "apparmor=my-profile").contains("WARNING: SELinux is not enabled on this host")
                    .contains("WARNING: IPv6 port binding [::1]:18999->80/tcp not published");
            Api.Response kmem = api.postJson("/containers/create", Map.of("Image", BUSYBOX, "HostConfig",
                    Map.of("KernelMemory", 64L << 20)));
            assertThat(kmem.status()).isEqualTo(201);
            assertThat(kmem.json().path("Warnings").toString()).contains(
                    "Specifying a kernel memory limit is deprecated and will be removed in a future release.");
            api.delete("/containers/" + kmem.json().path("Id").asText());
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    private static void removeEmptyCgroups(String parent) throws IOException {
        try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path c : controllers.toList()) {
                Path dir = c.resolve(parent);
                if (Files.isDirectory(dir)) {
                    new ProcessBuilder("rmdir", dir.toString()).start();
                }
            }
        }
        Path v2 = Path.of("/sys/fs/cgroup", parent);
        if (Files.isDirectory(v2)) {
            new ProcessBuilder("rmdir", v2.toString()).start();
        }
    }
}
