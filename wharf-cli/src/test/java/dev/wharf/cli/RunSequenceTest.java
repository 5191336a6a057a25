package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.client.fake.FakeDaemon;
import dev.wharf.model.Json;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunSequenceTest {

    private static final String ID = "c0ffee" + "0".repeat(58);
    private FakeDaemon daemon;
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch outputDone = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws Exception {
        daemon = new FakeDaemon();
        daemon.on("POST /containers/create", (req, ex) -> ex.json(201, "{\"Id\":\"" + ID + "\",\"Warnings\":[]}"));
        daemon.on("POST /containers/" + ID + "/attach", (req, ex) -> {
            ex.upgrade("application/vnd.docker.multiplexed-stream");
            String stdin = req.query().contains("stdin=1") ? new String(ex.in().readAllBytes()) : "";
            started.await(5, TimeUnit.SECONDS);
            ex.out().write(FakeDaemon.frame(1, "hi\n"));
            ex.out().write(FakeDaemon.frame(2, "oops\n"));
            if (!stdin.isEmpty()) {
                ex.out().write(FakeDaemon.frame(1, "echo:" + stdin));
            }
            ex.out().flush();
            ex.close();
            outputDone.countDown();
        });
        daemon.on("POST /containers/" + ID + "/wait", (req, ex) -> {
            ex.chunkedHead("application/json");
            started.await(5, TimeUnit.SECONDS);
            outputDone.await(2, TimeUnit.SECONDS);
            ex.chunk("{\"Error\":null,\"StatusCode\":3}\n");
            ex.endChunks();
        });
        daemon.on("POST /containers/" + ID + "/start", (req, ex) -> {
            ex.empty(204);
            started.countDown();
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        daemon.close();
    }

    @Test
    void run_attachesAndWaitsBeforeStartThenExitsWithStatus() throws Exception {
        CliHarness.Result r = CliHarness.run(daemon.address(), "", "run", "--rm", "--name", "web", "-e", "A=1",
                "--network", "none", "busybox", "echo", "hi");
        assertThat(daemon.lines()).containsExactly("POST /containers/create", "POST /containers/" + ID + "/attach",
                "POST /containers/" + ID + "/wait", "POST /containers/" + ID + "/start");
        assertThat(r.out()).isEqualTo("hi\n");
        assertThat(r.err()).isEqualTo("oops\n");
        assertThat(r.code()).isEqualTo(3);
        var reqs = daemon.requests();
        FakeDaemon.Request create = reqs.stream().filter(q -> q.path().equals("/containers/create")).findFirst().get();
        assertThat(create.query()).isEqualTo("name=web");
        JsonNode body = Json.mapper().readTree(create.body());
        assertThat(body.get("Image").asText()).isEqualTo("busybox");
        assertThat(body.get("Cmd").toString()).isEqualTo("[\"echo\",\"hi\"]");
        assertThat(body.get("Env").toString()).isEqualTo("[\"A=1\"]");
        assertThat(body.get("AttachStdout").asBoolean()).isTrue();
        assertThat(body.get("AttachStdin").asBoolean()).isFalse();
        assertThat(body.get("HostConfig").get("AutoRemove").asBoolean()).isTrue();
        assertThat(body.get("HostConfig").get("NetworkMode").asText()).isEqualTo("none");
        assertThat(body.get("NetworkingConfig").get("EndpointsConfig").has("none")).isTrue();
        FakeDaemon.Request attach = reqs.stream().filter(q -> q.path().endsWith("/attach")).findFirst().get();
        assertThat(attach.query()).isEqualTo("stderr=1&stdout=1&stream=1");
        assertThat(attach.header("Upgrade")).isEqualTo("tcp");
        FakeDaemon.Request wait = reqs.stream().filter(q -> q.path().endsWith("/wait")).findFirst().get();
        assertThat(wait.query()).isEqualTo("condition=removed");
    }

    @Test
    void run_interactivePipesStdinAndHalfCloses() {
        CliHarness.Result r = CliHarness.run(daemon.address(), "hello\n", "run", "-i", "busybox", "cat");
        assertThat(r.out()).isEqualTo("hi\necho:hello\n");
        FakeDaemon.Request attach = daemon.requests().stream().filter(q -> q.path().endsWith("/attach")).findFirst()
                .get();
        assertThat(attach.query()).isEqualTo("stderr=1&stdin=1&stdout=1&stream=1");
        FakeDaemon.Request wait = daemon.requests().stream().filter(q -> q.path().endsWith("/wait")).findFirst().get();
        assertThat(wait.query()).isEqualTo("condition=next-exit");
        assertThat(r.code()).isEqualTo(3);
    }

    @Test
    void run_detachedOpensWaitBeforeStartAndPrintsId() {
        CliHarness.Result r = CliHarness.run(daemon.address(), "", "run", "-d", "busybox");
        assertThat(daemon.lines()).containsExactly("POST /containers/create", "POST /containers/" + ID + "/wait",
                "POST /containers/" + ID + "/start");
        assertThat(r.out()).isEqualTo(ID + "\n");
        assertThat(r.code()).isZero();
    }

    @Test
    void run_missingImageExits125() throws Exception {
        try (FakeDaemon d = new FakeDaemon()) {
            d.on("POST /containers/create", (req, ex) -> ex.error(404, "No such image: nosuch:latest"));
            CliHarness.Result r = CliHarness.run(d.address(), "", "run", "--pull", "never", "nosuch");
            assertThat(r.code()).isEqualTo(125);
            assertThat(r.err()).startsWith("Unable to find image 'nosuch:latest' locally\n"
                    + "wharf: Error response from daemon: No such image: nosuch:latest\n");
        }
    }

    @Test
    void run_missingImageIsPulledThenCreatedAgain() throws Exception {
        try (FakeDaemon d = new FakeDaemon()) {
            d.on("POST /containers/create", (req, ex) -> ex.error(404, "No such image: nosuch:latest"));
            d.on("POST /images/create", (req, ex) -> ex.error(404, "pull access denied for nosuch, repository "
                    + "does not exist or may require 'docker login'"));
            CliHarness.Result r = CliHarness.run(d.address(), "", "run", "nosuch");
            assertThat(d.lines()).containsExactly("POST /containers/create", "POST /images/create");
            assertThat(r.code()).isEqualTo(125);
            assertThat(r.err()).startsWith("Unable to find image 'nosuch:latest' locally\n"
                    + "wharf: Error response from daemon: pull access denied for nosuch");
        }
    }

    @Test
    void run_startErrorsMapTo127And126() throws Exception {
        for (var c : new Object[][] {
            {"exec: \"nosuch\": executable file not found in $PATH", 127},
            {"exec: \"/etc\": permission denied", 126},
            {"cgroup trouble", 125}}) {
            try (FakeDaemon d = new FakeDaemon()) {
                d.on("POST /containers/create", (req, ex) -> ex.json(201, "{\"Id\":\"x1\"}"));
                d.on("POST /containers/x1/attach", (req, ex) -> ex.upgrade("application/vnd.docker.raw-stream"));
                d.on("POST /containers/x1/wait", (req, ex) -> ex.chunkedHead("application/json"));
                d.on("POST /containers/x1/start", (req, ex) -> ex.error(400, (String) c[0]));
                CliHarness.Result r = CliHarness.run(d.address(), "", "run", "busybox", "nosuch");
                assertThat(r.code()).isEqualTo(c[1]);
                assertThat(r.err()).startsWith("wharf: Error response from daemon: " + c[0]);
            }
        }
    }
}
