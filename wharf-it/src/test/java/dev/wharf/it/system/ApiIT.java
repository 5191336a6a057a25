package dev.wharf.it.system;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Engine API behaviours checked on the wire: version negotiation and error answers. */
@WharfIT
class ApiIT {

    @Test
    void ping_get_answersOkWithVersionHeaders(Api api) {
        Api.Response ping = api.get("/_ping");

        assertThat(ping.status()).isEqualTo(200);
        assertThat(ping.text()).isEqualTo("OK");
        assertThat(ping.header("Api-Version")).contains("1.44");
        assertThat(ping.header("Ostype")).contains("linux");
    }

    @Test
    void ping_head_answersWithHeadersOnly(Api api) {
        Api.Response ping = api.head("/_ping", Map.of());

        assertThat(ping.status()).isEqualTo(200);
        assertThat(ping.header("Api-Version")).contains("1.44");
        assertThat(ping.header("Ostype")).contains("linux");
        assertThat(api.head("/v1.44/_ping", Map.of()).status()).isEqualTo(200);
    }

    @Test
    void version_atAnOlderSupportedVersion_answers(Api api) {
        Api.Response version = api.get("/v1.41/version");

        assertThat(version.status()).as(version.toString()).isEqualTo(200);
        JsonNode body = version.json();
        assertThat(body.path("ApiVersion").asText()).isEqualTo("1.44");
        assertThat(body.path("MinAPIVersion").asText()).isEqualTo("1.24");
        assertThat(body.path("Os").asText()).isEqualTo("linux");
        assertThat(body.path("Version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(api.get("/version").status()).isEqualTo(200);
    }

    @Test
    void version_tooNew_is400(Api api) {
        Api.Response version = api.get("/v1.99/version");

        assertThat(version.status()).isEqualTo(400);
        assertThat(version.message()).startsWith("client version 1.99 is too new");
    }

    @Test
    void unknownPath_is404(Api api) {
        Api.Response response = api.get("/v1.44/nosuch/route");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.message()).isEqualTo("page not found");
    }

    @Test
    void create_malformedJson_is400_andCreatesNothing(Api api) {
        String name = Names.unique("badjson");
        int before = api.get("/containers/json?all=1").json().size();

        Api.Response create = api.postJson("/containers/create?name=" + name, "{\"Image\": \"" + BUSYBOX + "\", \"Cmd\": [");

        assertThat(create.status()).as(create.toString()).isEqualTo(400);
        assertThat(api.get("/containers/" + name + "/json").status()).isEqualTo(404);
        assertThat(api.get("/containers/json?all=1").json().size()).isEqualTo(before);
    }

    @Test
    void create_unknownImage_is404(Api api) {
        Api.Response create = api.postJson("/containers/create", Map.of("Image", "wharf-test/nosuch:latest"));

        assertThat(create.status()).as(create.toString()).isEqualTo(404);
        assertThat(create.message()).isEqualTo("No such image: wharf-test/nosuch:latest");
    }

    @Test
    void create_duplicateName_is409WithDockersMessage(Api api) {
        String name = Names.unique("dup");
        String id = create(api, name, List.of("true"));
        try {
            Api.Response again = api.postJson("/containers/create?name=" + name, Map.of("Image", BUSYBOX, "Cmd", List.of("true")));

            assertThat(again.status()).as(again.toString()).isEqualTo(409);
            assertThat(again.message()).isEqualTo("Conflict. The container name \"/" + name + "\" is already in use by container \""
                    + id + "\". You have to remove (or rename) that container to be able to reuse that name.");
        } finally {
            api.delete("/containers/" + id + "?force=1");
        }
    }

    @Test
    void unknownContainer_is404(Api api) {
        Api.Response inspect = api.get("/containers/x/json");

        assertThat(inspect.status()).isEqualTo(404);
        assertThat(inspect.message()).isEqualTo("No such container: x");
        assertThat(inspect.header("Content-Type").orElse("")).startsWith("application/json");
        assertThat(api.post("/containers/x/start").status()).isEqualTo(404);
        assertThat(api.delete("/containers/x").status()).isEqualTo(404);
    }

    @Test
    void create_invalidName_is400(Api api) {
        Api.Response create = api.postJson("/containers/create?name=-bad!", Map.of("Image", BUSYBOX));

        assertThat(create.status()).as(create.toString()).isEqualTo(400);
        assertThat(create.message()).contains("Invalid container name");
        assertThat(api.get("/containers/-bad!/json").status()).isEqualTo(404);
    }

    @Test
    void wait_bogusCondition_is400(Api api) {
        String id = create(api, Names.unique("bogus"), List.of("true"));
        try {
            Api.Response wait = api.post("/containers/" + id + "/wait?condition=bogus");

            assertThat(wait.status()).as(wait.toString()).isEqualTo(400);
        } finally {
            api.delete("/containers/" + id + "?force=1");
        }
    }

    @Test
    void lifecycle_startWaitDelete_withDockersStatusCodes(Api api) {
        String id = create(api, Names.unique("codes"), List.of("sh", "-c", "sleep 1000"));
        try {
            assertThat(api.post("/containers/" + id + "/start").status()).isEqualTo(204);
            assertThat(api.post("/containers/" + id + "/start").status()).isEqualTo(304);
            Api.Response rm = api.delete("/containers/" + id);
            assertThat(rm.status()).isEqualTo(409);
            assertThat(rm.message()).startsWith("You cannot remove a running container " + id);
            assertThat(api.post("/containers/" + id + "/kill").status()).isEqualTo(204);

            Api.Response wait = api.send("POST", "/containers/" + id + "/wait", Map.of(), null, Duration.ofSeconds(20));
            assertThat(wait.status()).isEqualTo(200);
            assertThat(wait.json().path("StatusCode").asInt()).isEqualTo(137);
            assertThat(api.post("/containers/" + id + "/stop").status()).isEqualTo(304);
            Api.Response kill = api.post("/containers/" + id + "/kill");
            assertThat(kill.status()).isEqualTo(409);
            assertThat(kill.message()).contains("is not running");
            assertThat(api.delete("/containers/" + id).status()).isEqualTo(204);
            assertThat(api.get("/containers/" + id + "/json").status()).isEqualTo(404);
        } finally {
            api.delete("/containers/" + id + "?force=1");
        }
    }

    static String create(Api api, String name, List<String> cmd) {
        Api.Response create = api.postJson("/containers/create?name=" + name,
                Map.of("Image", BUSYBOX, "Cmd", cmd, "HostConfig", Map.of("NetworkMode", "none")));
        assertThat(create.status()).as(create.toString()).isEqualTo(201);
        String id = create.json().path("Id").asText();
        assertThat(id).matches("[0-9a-f]{64}");
        return id;
    }
}
