package dev.wharf.it.system;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests as docker-py 7.1 sends them at API 1.44, from gaps its own integration suite found:
 * what a docker-py user gets back must be what Docker gives.
 */
@WharfIT
class DockerPyWireIT {

    @Test
    void execCreate_keysInAnyCase_areRead(Api api, DockerCli docker) {
        String name = Names.unique("pyexec");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sleep", "60");
            // docker-py's exec_create(detach_keys=...) sends "detachKeys"; Go decodes keys case-insensitively
            Api.Response created = api.postJson("/containers/" + name + "/exec", Map.of("attachstdout", true,
                    "Tty", true, "detachKeys", "ctrl-x", "cmd", List.of("cat")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            JsonNode exec = api.get("/exec/" + created.json().path("Id").asText() + "/json").json();
            assertThat(exec.path("DetachKeys").asText()).isEqualTo("ctrl-x");
            assertThat(exec.path("OpenStdout").asBoolean()).isTrue();
            assertThat(exec.path("ProcessConfig").path("entrypoint").asText()).isEqualTo("cat");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void containerCreate_containerWideMacAddressAt144_isTheBridgeEndpointsAddress(Api api, DockerCli docker) {
        String name = Names.unique("pymac");
        String mac = "02:42:ac:11:00:0a";
        try {
            // docker-py's create_container(mac_address=...) puts it in Config.MacAddress, even at 1.44
            Api.Response created = api.postJson("/v1.44/containers/create?name=" + name, Map.of("Image", BUSYBOX,
                    "Cmd", List.of("sleep", "60"), "MacAddress", mac));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(api.post("/containers/" + name + "/start").status()).isEqualTo(204);
            JsonNode ns = api.get("/containers/" + name + "/json").json().path("NetworkSettings");
            assertThat(ns.path("MacAddress").asText()).isEqualTo(mac);
            assertThat(ns.path("Networks").path("bridge").path("MacAddress").asText()).isEqualTo(mac);
            assertThat(docker.ok("exec", name, "cat", "/sys/class/net/eth0/address").out()).isEqualTo(mac);
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void volumeCreate_withoutName_isAnonymous_soPlainPruneRemovesIt(DockerCli docker) {
        String named = Names.unique("pyvol");
        String nameless = docker.ok("volume", "create").out();
        try {
            docker.ok("volume", "create", named);
            assertThat(docker.ok("volume", "inspect", "--format", "{{json .Labels}}", nameless).out())
                    .isEqualTo("{\"com.docker.volume.anonymous\":\"\"}");
            // docker-py's prune_volumes(): no filter, so anonymous volumes only (API 1.42+)
            String pruned = docker.ok("volume", "prune", "-f").out();
            assertThat(pruned).contains(nameless).doesNotContain(named);
            assertThat(docker.ok("volume", "ls", "-q").lines()).contains(named).doesNotContain(nameless);
        } finally {
            docker.run("volume", "rm", "-f", nameless, named);
        }
    }

    @Test
    void imageInspect_configAlwaysHasTheNullableKeys(Api api) {
        // docker-py users (and its test_build_container_with_target) index attrs['Config']['OnBuild'] etc.
        JsonNode config = api.get("/v1.44/images/" + BUSYBOX + "/json").json().path("Config");
        assertThat(config.has("Env") && config.has("Cmd") && config.has("Volumes") && config.has("Entrypoint")
                && config.has("OnBuild") && config.has("Labels")).as(config.toString()).isTrue();
        assertThat(config.path("OnBuild").isNull()).as(config.toString()).isTrue();
        assertThat(config.has("StopSignal")).as("omitted when empty, as Go's omitempty").isFalse();
    }
}
