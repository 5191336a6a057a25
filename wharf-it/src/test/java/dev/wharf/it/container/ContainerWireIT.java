package dev.wharf.it.container;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Container and exec requests as docker-py's own integration suite sends them. */
@WharfIT
class ContainerWireIT {

    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    private static Api.Response startExec(Api api, String container, boolean createTty, boolean startTty) {
        Api.Response created = api.postJson("/containers/" + container + "/exec", Map.of("AttachStdout", true,
                "AttachStderr", true, "Tty", createTty,
                "Cmd", List.of("sh", "-c", "echo hello out ; sleep 0.5 ; echo hello err >&2")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("Id").asText();
        return api.send("POST", "/exec/" + id + "/start", JSON,
                ("{\"Tty\":" + startTty + "}").getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
    }

    @Test
    void execStart_ownTtyDecidesTheFraming(Api api, DockerCli docker) {
        String name = Names.unique("exectty");
        try {
            docker.ok("run", "-d", "--name", name, BUSYBOX, "sleep", "60");
            // docker-py: created with a TTY, started with its default {"Tty": false} -> multiplexed
            Api.Response mux = startExec(api, name, true, false);
            assertThat(mux.status()).isEqualTo(200);
            byte[] b = mux.body();
            assertThat(b.length).isGreaterThan(8);
            assertThat(new byte[] {b[0], b[1], b[2], b[3]}).as("an 8-byte stdout frame header")
                    .containsExactly(1, 0, 0, 0);
            // the process has a TTY: both lines come through it, as stdout
            assertThat(Api.demux(b)[0]).isEqualTo("hello out\r\nhello err\r\n");

            // and the other way round: no TTY, started with Tty true -> raw bytes
            Api.Response raw = startExec(api, name, false, true);
            assertThat(raw.status()).isEqualTo(200);
            assertThat(raw.text()).isEqualTo("hello out\nhello err\n");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void commit_ofAContainerThatExitsMeanwhile_succeeds(Api api, DockerCli docker) {
        List<String> made = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                // docker-py's test_commit: start `touch /test`, commit at once
                Api.Response c = api.postJson("/containers/create", Map.of("Image", BUSYBOX,
                        "Cmd", List.of("touch", "/test")));
                String id = c.json().path("Id").asText();
                made.add(id);
                assertThat(api.post("/containers/" + id + "/start").status()).isEqualTo(204);
                Api.Response commit = api.post("/commit?container=" + id);
                assertThat(commit.status()).as(commit.toString()).isEqualTo(201);
                String image = commit.json().path("Id").asText();
                JsonNode waited = api.send("POST", "/containers/" + id + "/wait", Map.of(), new byte[0],
                        Duration.ofSeconds(30)).json();
                assertThat(waited.path("StatusCode").asInt()).isZero();
                docker.ok("rmi", image);
            }
        } finally {
            made.forEach(id -> docker.run("rm", "-f", id));
        }
    }

    @Test
    void volumeRemove_force_ofAVolumeAStoppedContainerUses_is409InUse(Api api, DockerCli docker) {
        String vol = Names.unique("inuse");
        String c = Names.unique("inusec");
        try {
            docker.ok("volume", "create", vol);
            String id = docker.ok("create", "--name", c, "-v", vol + ":/v", BUSYBOX, "true").out();
            Api.Response r = api.delete("/volumes/" + vol + "?force=1");
            assertThat(r.status()).as(r.toString()).isEqualTo(409);
            assertThat(r.message()).isEqualTo("remove " + vol + ": volume is in use - [" + id + "]");
            assertThat(api.get("/volumes/" + vol).status()).isEqualTo(200);
        } finally {
            docker.run("rm", "-f", c);
            docker.run("volume", "rm", vol);
        }
    }
}
