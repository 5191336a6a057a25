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
}
