package dev.wharf.it.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code /info} computed from the host, and behaviour that follows the API version in the path. */
@WharfIT
class SystemWireIT {

    private static String read(String file) throws IOException {
        return Files.readString(Path.of(file)).strip();
    }

    @Test
    void outsideASwarm_swarmCallsAre503_withDockersMessages(Api api, DockerCli docker) {
        String notManager = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" "
                + "to connect this node to swarm and try again.";
        Api.Response swarm = api.get("/swarm");
        assertThat(swarm.status()).isEqualTo(503);
        assertThat(swarm.message()).isEqualTo(notManager);
        Api.Response leave = api.post("/swarm/leave?force=1");
        assertThat(leave.status()).isEqualTo(503);
        assertThat(leave.message()).isEqualTo("This node is not part of a swarm");
        var cli = docker.run("swarm", "leave");
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.stderr().strip()).isEqualTo("Error response from daemon: This node is not part of a swarm");
        assertThat(docker.run("node", "ls").stderr().strip()).isEqualTo("Error response from daemon: " + notManager);
    }

    @Test
    void info_describesThisHost(Api api, WharfdProcess wharfd) throws Exception {
        JsonNode info = api.get("/info").json();
        String fs = Files.getFileStore(wharfd.dataRoot()).type();
        List<String> driverStatus = new ArrayList<>();
        info.path("DriverStatus").forEach(p -> driverStatus.add(p.path(0).asText() + "=" + p.path(1).asText()));
        assertThat(driverStatus).contains("Backing Filesystem=" + (fs.startsWith("ext") ? "extfs" : fs));
        assertThat(info.path("IPv4Forwarding").asBoolean()).isEqualTo(read("/proc/sys/net/ipv4/ip_forward").equals("1"));
        String uname = new String(new ProcessBuilder("uname", "-m").start().getInputStream().readAllBytes()).strip();
        assertThat(info.path("Architecture").asText()).isEqualTo(uname);
        assertThat(info.path("NCPU").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(info.path("KernelVersion").asText()).isEqualTo(read("/proc/sys/kernel/osrelease"));
        assertThat(info.path("Plugins").path("Network").toString()).contains("\"bridge\"", "\"host\"", "\"null\"");
        assertThat(info.path("Plugins").path("Log").toString()).contains("\"json-file\"", "\"local\"");
        assertThat(info.path("Plugins").path("Volume").toString()).isEqualTo("[\"local\"]");
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        if (!v2) {
            assertThat(info.path("SwapLimit").asBoolean())
                    .isEqualTo(Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")));
            assertThat(info.path("CpuCfsQuota").asBoolean())
                    .isEqualTo(Files.exists(Path.of("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")));
            assertThat(info.path("OomKillDisable").asBoolean())
                    .isEqualTo(Files.exists(Path.of("/sys/fs/cgroup/memory/memory.oom_control")));
        }
        assertThat(info.path("CgroupVersion").asText()).isEqualTo(v2 ? "2" : "1");

        int before = info.path("NEventsListener").asInt();
        try (Api.Stream events = api.open("GET", "/events", Map.of(), null, Duration.ofSeconds(30))) {
            assertThat(events.status()).isEqualTo(200);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                    () -> api.get("/info").json().path("NEventsListener").asInt() == before + 1);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> api.get("/info").json().path("NEventsListener").asInt() == before);
    }

    @Test
    void volumePrune_below142_removesNamedVolumesToo(Api api, DockerCli docker) {
        String a = Names.unique("prn");
        String b = Names.unique("prn");
        try {
            docker.ok("volume", "create", a);
            JsonNode now = api.post("/v1.44/volumes/prune").json();
            assertThat(now.path("VolumesDeleted").toString()).as("1.42+: anonymous only").doesNotContain(a);
            assertThat(api.get("/volumes/" + a).status()).isEqualTo(200);
            JsonNode old = api.post("/v1.41/volumes/prune").json();
            assertThat(old.path("VolumesDeleted").toString()).contains(a);
            assertThat(api.get("/volumes/" + a).status()).isEqualTo(404);
            docker.ok("volume", "create", b);
            JsonNode all = api.post("/v1.44/volumes/prune?filters=" + Api.q("{\"all\":[\"true\"]}")).json();
            assertThat(all.path("VolumesDeleted").toString()).contains(b);
        } finally {
            docker.run("volume", "rm", a, b);
        }
    }
}
