package dev.wharf.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.client.fake.FakeDaemon;
import dev.wharf.model.Json;
import dev.wharf.model.common.ProgressMessage;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.HostConfig;
import dev.wharf.model.container.WaitResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WharfClientTest {

    private FakeDaemon daemon;
    private WharfClient client;

    @BeforeEach
    void setUp() throws Exception {
        daemon = new FakeDaemon();
        client = WharfClient.connect(daemon.address());
    }

    @AfterEach
    void tearDown() throws Exception {
        daemon.close();
    }

    @Test
    void apiVersion_isServerVersionCappedAt144() {
        daemon.pingVersion("1.47");
        assertThat(client.apiVersion()).isEqualTo("1.44");
        assertThat(WharfClient.negotiated("1.41")).isEqualTo("1.41");
        assertThat(WharfClient.negotiated("1.9")).isEqualTo("1.9");
        assertThat(WharfClient.negotiated(null)).isEqualTo("1.24");
    }

    @Test
    void apiVersion_negotiatesOnceWithHeadPing() {
        daemon.pingVersion("1.41");
        daemon.on("GET /version", (req, ex) -> ex.json(200, "{\"Version\":\"0.1.0\",\"ApiVersion\":\"1.44\"}"));
        client.system().version();
        client.system().version();
        List<FakeDaemon.Request> reqs = daemon.requests();
        assertThat(reqs).extracting(FakeDaemon.Request::method).containsExactly("HEAD", "GET", "GET");
        assertThat(reqs.get(1).target()).isEqualTo("/v1.41/version");
    }

    @Test
    void apiVersion_fallsBackToGetPingWhenHeadIsRefused() {
        daemon.on(r -> r.method().equals("HEAD"), (req, ex) -> ex.error(405, "method not allowed"));
        daemon.on("GET /_ping", (req, ex) -> ex.write(
                "HTTP/1.1 200 OK\r\nApi-Version: 1.43\r\nContent-Length: 2\r\n\r\nOK"));
        assertThat(client.apiVersion()).isEqualTo("1.43");
    }

    @Test
    void apiVersion_withoutHeaderIs124() {
        daemon.pingVersion(null);
        assertThat(client.apiVersion()).isEqualTo("1.24");
    }

    @Test
    void errors_becomeApiExceptionWithJsonMessage() {
        daemon.on("GET /containers/nosuch/json", (req, ex) -> ex.error(404, "No such container: nosuch"));
        assertThatThrownBy(() -> client.containers().inspect("nosuch"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.getMessage()).isEqualTo("No such container: nosuch");
                });
    }

    @Test
    void errors_withPlainTextBodyKeepTheText() {
        daemon.on("GET /info", (req, ex) -> ex.write(
                "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\ntoo old\r\n"));
        assertThatThrownBy(() -> client.system().info()).isInstanceOf(ApiException.class).hasMessage("too old");
    }

    @Test
    void connect_toMissingSocketIsDaemonUnreachable() {
        WharfClient dead = WharfClient.connect("unix:///nonexistent/wharf.sock");
        assertThatThrownBy(dead::apiVersion).isInstanceOf(DaemonUnreachableException.class)
                .hasMessage("Cannot connect to the Wharf daemon at unix:///nonexistent/wharf.sock."
                        + " Is the wharf daemon running?");
    }

    @Test
    void create_sendsConfigAtTopLevelWithHostConfig() throws Exception {
        daemon.on("POST /containers/create", (req, ex) -> ex.json(201, "{\"Id\":\"abc\",\"Warnings\":[]}"));
        ContainerConfig cfg = ContainerConfig.empty().withImage("busybox");
        HostConfig hc = new HostConfig("none", true, null, null, null, false, false, null, null, null, null);
        assertThat(client.containers().create("web", new ContainerCreateRequest(cfg, hc,
                Map.of("EndpointsConfig", Map.of("none", Map.of())))).id()).isEqualTo("abc");
        FakeDaemon.Request req = daemon.requests().getLast();
        assertThat(req.query()).isEqualTo("name=web");
        JsonNode body = Json.mapper().readTree(req.body());
        assertThat(body.get("Image").asText()).isEqualTo("busybox");
        assertThat(body.get("HostConfig").get("NetworkMode").asText()).isEqualTo("none");
        assertThat(body.get("HostConfig").get("AutoRemove").asBoolean()).isTrue();
        assertThat(body.has("NetworkingConfig")).isTrue();
        assertThat(body.has("Cmd")).isFalse();
        assertThat(req.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void stop_reportsNotModifiedAsUnchanged() {
        daemon.on("POST /containers/c1/stop", (req, ex) -> ex.empty(304));
        assertThat(client.containers().stop("c1", new ContainersApi.StopOptions(3, null)).changed()).isFalse();
        assertThat(daemon.requests().getLast().query()).isEqualTo("t=3");
    }

    @Test
    void list_sendsFiltersAsMapOfBooleans() {
        daemon.on("GET /containers/json", (req, ex) -> ex.json(200, "[{\"Id\":\"a\",\"Names\":[\"/n\"],\"Created\":5}]"));
        var list = client.containers().list(new ContainersApi.ListOptions(true, 2, false,
                Map.of("status", Set.of("running"))));
        assertThat(list).hasSize(1);
        assertThat(list.getFirst().names()).containsExactly("/n");
        String q = URLDecoder.decode(daemon.requests().getLast().query(), StandardCharsets.UTF_8);
        assertThat(q).isEqualTo("all=1&limit=2&filters={\"status\":{\"running\":true}}");
    }

    @Test
    void wait_returnsStatusAfterHeadersCameFirst() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        daemon.on("POST /containers/c1/wait", (req, ex) -> {
            ex.chunkedHead("application/json");
            release.await();
            ex.chunk("{\"Error\":null,\"StatusCode\":3}\n");
            ex.endChunks();
        });
        try (ContainersApi.PendingWait w = client.containers().openWait("c1", new ContainersApi.WaitOptions("next-exit"))) {
            release.countDown();
            WaitResponse r = w.await();
            assertThat(r.statusCode()).isEqualTo(3);
        }
        assertThat(daemon.requests().getLast().query()).isEqualTo("condition=next-exit");
    }

    @Test
    void logs_demuxesFramedChunkedBody() {
        daemon.on("GET /containers/c1/logs", (req, ex) -> {
            ex.chunkedHead("application/vnd.docker.multiplexed-stream");
            ex.chunk(FakeDaemon.frame(1, "o1\n"));
            ex.chunk(FakeDaemon.frame(2, "e1\n"));
            ex.endChunks();
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        client.containers().logs("c1", new ContainersApi.LogsOptions(false, "10", false, null, null, true, true,
                false), OutputSink.of(out, err));
        assertThat(out.toString()).isEqualTo("o1\n");
        assertThat(err.toString()).isEqualTo("e1\n");
        assertThat(daemon.requests().getLast().query()).isEqualTo("stdout=1&stderr=1&tail=10");
    }

    @Test
    void importImage_streamsTarAndReportsProgress() {
        daemon.on("POST /images/create", (req, ex) -> {
            ex.chunkedHead("application/json");
            ex.chunk("{\"status\":\"sha256:" + "a".repeat(64) + "\"}\r\n");
            ex.endChunks();
        });
        List<ProgressMessage> msgs = new ArrayList<>();
        client.images().importImage(new ByteArrayInputStream("tar".getBytes()),
                new ImagesApi.ImportOptions(null, "wr/imp:1", null, List.of("CMD [\"sh\"]"), "m", null), msgs::add);
        assertThat(msgs).extracting(ProgressMessage::status).containsExactly("sha256:" + "a".repeat(64));
        FakeDaemon.Request req = daemon.requests().getLast();
        assertThat(req.bodyText()).isEqualTo("tar");
        assertThat(URLDecoder.decode(req.query(), StandardCharsets.UTF_8))
                .isEqualTo("fromSrc=-&repo=wr/imp:1&message=m&changes=CMD [\"sh\"]");
    }

    @Test
    void importImage_errorInStreamBecomesApiException() {
        daemon.on("POST /images/create", (req, ex) -> {
            ex.chunkedHead("application/json");
            ex.chunk("{\"errorDetail\":{\"message\":\"bad tar\"},\"error\":\"bad tar\"}\r\n");
            ex.endChunks();
        });
        assertThatThrownBy(() -> client.images().importImage(new ByteArrayInputStream(new byte[1]),
                new ImagesApi.ImportOptions(null, null, null, null, null, null), m -> { }))
                .isInstanceOf(ApiException.class).hasMessage("bad tar");
    }

    @Test
    void removeImage_readsDeleteItems() {
        daemon.on("DELETE /images/bb", (req, ex) -> ex.json(200,
                "[{\"Untagged\":\"bb:latest\"},{\"Deleted\":\"sha256:1\"}]"));
        var items = client.images().remove("bb", new ImagesApi.RemoveOptions(true, false));
        assertThat(items).hasSize(2);
        assertThat(items.get(1).deleted()).isEqualTo("sha256:1");
        assertThat(daemon.requests().getLast().query()).isEqualTo("force=1");
    }

    @Test
    void attachAndExecStart_upgradeOnTheVersionedPath_orFailWithTheDaemonsMessage() throws Exception {
        daemon.pingVersion("1.44");
        daemon.on("POST /containers/c1/attach", (req, ex) -> {
            ex.upgrade("application/vnd.docker.raw-stream");
            ex.write("hello");
            ex.close();
        });
        daemon.on("POST /exec/e1/start", (req, ex) -> ex.error(404, "No such exec instance: e1"));
        try (var s = client.containers().attach("c1", ContainersApi.AttachOptions.streams(false))) {
            assertThat(new String(s.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
        assertThat(daemon.requests().getLast().target()).startsWith("/v1.44/containers/c1/attach?");
        assertThatThrownBy(() -> client.exec().start("e1", false)).isInstanceOf(ApiException.class)
                .hasMessage("No such exec instance: e1");
        assertThat(daemon.requests().getLast().target()).isEqualTo("/v1.44/exec/e1/start");
    }
}
