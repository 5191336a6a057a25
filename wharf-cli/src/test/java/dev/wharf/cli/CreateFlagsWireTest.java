package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.client.fake.FakeDaemon;
import dev.wharf.model.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The create request the run/create flags put on the wire. */
class CreateFlagsWireTest {

    private FakeDaemon daemon;

    @BeforeEach
    void setUp() throws Exception {
        daemon = new FakeDaemon();
        daemon.on("POST /containers/create", (req, ex) -> ex.json(201, "{\"Id\":\"abc123\",\"Warnings\":[]}"));
    }

    @AfterEach
    void tearDown() throws Exception {
        daemon.close();
    }

    private JsonNode created() throws Exception {
        FakeDaemon.Request create = daemon.requests().stream().filter(q -> q.path().equals("/containers/create"))
                .findFirst().orElseThrow();
        return Json.mapper().readTree(create.body());
    }

    @Test
    void create_sendsLimitsConfinementAndHealthcheck() throws Exception {
        CliHarness.Result r = CliHarness.run(daemon.address(), "", "create", "--memory", "64m", "--cpus", "0.5",
                "--pids-limit", "50", "--ulimit", "nofile=1024:2048", "--cap-drop", "ALL", "--cap-add", "chown",
                "--security-opt", "no-new-privileges", "--health-cmd", "true", "--health-interval", "1s",
                "--network", "net1", "--network-alias", "web", "--ip", "10.1.2.3", "--dns", "1.1.1.1",
                "--add-host", "db:10.0.0.5", "--expose", "8080", "-P", "--init", "bb:1", "sleep", "1");
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isEqualTo(0);
        assertThat(r.out()).isEqualTo("abc123\n");
        JsonNode body = created();
        JsonNode hc = body.get("HostConfig");
        assertThat(hc.get("Memory").asLong()).isEqualTo(67108864L);
        assertThat(hc.get("NanoCpus").asLong()).isEqualTo(500000000L);
        assertThat(hc.get("PidsLimit").asLong()).isEqualTo(50);
        assertThat(hc.get("Ulimits").toString()).isEqualTo("[{\"Name\":\"nofile\",\"Hard\":2048,\"Soft\":1024}]");
        assertThat(hc.get("CapAdd").toString()).isEqualTo("[\"CAP_CHOWN\"]");
        assertThat(hc.get("CapDrop").toString()).isEqualTo("[\"ALL\"]");
        assertThat(hc.get("SecurityOpt").toString()).isEqualTo("[\"no-new-privileges\"]");
        assertThat(hc.get("Dns").toString()).isEqualTo("[\"1.1.1.1\"]");
        assertThat(hc.get("ExtraHosts").toString()).isEqualTo("[\"db:10.0.0.5\"]");
        assertThat(hc.get("PublishAllPorts").asBoolean()).isTrue();
        assertThat(hc.get("Init").asBoolean()).isTrue();
        assertThat(hc.get("NetworkMode").asText()).isEqualTo("net1");
        assertThat(body.get("ExposedPorts").toString()).isEqualTo("{\"8080/tcp\":{}}");
        assertThat(body.get("Healthcheck").toString())
                .isEqualTo("{\"Test\":[\"CMD-SHELL\",\"true\"],\"Interval\":1000000000}");
        assertThat(body.get("NetworkingConfig").get("EndpointsConfig").get("net1").toString())
                .isEqualTo("{\"Aliases\":[\"web\"],\"IPAMConfig\":{\"IPv4Address\":\"10.1.2.3\"}}");
    }

    @Test
    void run_badSizeIsExit125WithDockersWording() {
        CliHarness.Result r = CliHarness.run(daemon.address(), "", "run", "--rm", "-m", "64x", "bb:1", "true");
        assertThat(r.code()).isEqualTo(125);
        assertThat(r.err()).startsWith("wharf: invalid argument \"64x\" for \"-m, --memory\" flag: invalid size: '64x'");
        assertThat(daemon.lines()).isEmpty();
    }
}
