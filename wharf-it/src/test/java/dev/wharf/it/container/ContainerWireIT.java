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
            for (int i = 0; i < 5; i++) {
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

    @Test
    void createBody_wrongTypesAndBadResources_are400sThatNameTheProblem(Api api) {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("{\"Image\":12345}",
                "invalid JSON: json: cannot unmarshal number into Go struct field CreateRequest.Image of type string");
        refused.put("{\"Image\":\"" + BUSYBOX + "\",\"Cmd\":123}", "CreateRequest.Cmd");
        refused.put("{\"Image\":\"" + BUSYBOX + "\",\"Env\":\"A=1\"}", "CreateRequest.Env");
        refused.put("{\"Image\":\"" + BUSYBOX + "\",\"HostConfig\":{\"Memory\":\"1g\"}}",
                "CreateRequest.HostConfig.Memory");
        refused.put("{\"Image\":\"" + BUSYBOX + "\",\"HostConfig\":{\"Privileged\":\"yes\"}}",
                "CreateRequest.HostConfig.Privileged");
        refused.put("{\"Image\":\"" + BUSYBOX + "\",\"HostConfig\":{\"Memory\":-1}}",
                "Minimum memory limit allowed is 6MB");
        refused.put("{\"Image\":\"" + BUSYBOX + "\",\"HostConfig\":{\"Memory\":67108864,\"MemorySwap\":33554432}}",
                "Minimum memoryswap limit should be larger than memory limit, see usage");
        refused.put("{\"Image\":\"" + BUSYBOX + "\",\"HostConfig\":{\"CpuShares\":-1}}", "Invalid CPU shares: -1");
        refused.put("{\"Image\":\"" + BUSYBOX + "\",\"HostConfig\":{\"MemorySwappiness\":200}}",
                "Invalid value: 200, valid memory swappiness range is 0-100");
        refused.put("{\"Image\":\"" + BUSYBOX + "\",\"HostConfig\":{\"ShmSize\":-5}}", "SHM size can not be less than 0");
        int before = api.get("/containers/json?all=1").json().size();
        org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
        refused.forEach((body, message) -> {
            Api.Response r = api.send("POST", "/containers/create", JSON, body.getBytes(StandardCharsets.UTF_8),
                    Duration.ofSeconds(30));
            soft.assertThat(r.status()).as(body + " -> " + r).isEqualTo(400);
            soft.assertThat(r.message()).as(body).contains(message);
        });
        soft.assertAll();
        assertThat(api.get("/containers/json?all=1").json().size()).as("nothing created").isEqualTo(before);

        // as Docker's strslice, Cmd and Entrypoint take a string too
        Api.Response ok = api.send("POST", "/containers/create", JSON, ("{\"Image\":\"" + BUSYBOX
                + "\",\"Cmd\":\"ls\"}").getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        String id = ok.json().path("Id").asText();
        assertThat(api.get("/containers/" + id + "/json").json().path("Config").path("Cmd").toString())
                .isEqualTo("[\"ls\"]");
        api.delete("/containers/" + id + "?force=1");
    }

    @Test
    void sizes_onlyWhenAskedFor(Api api, DockerCli docker) {
        String name = Names.unique("sized");
        try {
            docker.ok("run", "--name", name, BUSYBOX, "sh", "-c", "head -c 200000 /dev/zero > /blob");
            JsonNode plain = api.get("/containers/" + name + "/json").json();
            assertThat(plain.has("SizeRw")).isFalse();
            assertThat(plain.has("SizeRootFs")).isFalse();
            JsonNode sized = api.get("/containers/" + name + "/json?size=1").json();
            long image = api.get("/images/" + BUSYBOX + "/json").json().path("Size").asLong();
            assertThat(sized.path("SizeRw").asLong()).isBetween(200_000L, 260_000L);
            assertThat(sized.path("SizeRootFs").asLong()).isEqualTo(sized.path("SizeRw").asLong() + image);

            JsonNode listed = api.get("/containers/json?all=1&size=1&filters=" + Api.q("{\"name\":[\"" + name + "\"]}"))
                    .json().path(0);
            assertThat(listed.path("SizeRw").asLong()).isEqualTo(sized.path("SizeRw").asLong());
            assertThat(listed.path("SizeRootFs").asLong()).isEqualTo(sized.path("SizeRootFs").asLong());
            JsonNode unsized = api.get("/containers/json?all=1&filters=" + Api.q("{\"name\":[\"" + name + "\"]}"))
                    .json().path(0);
            assertThat(unsized.has("SizeRw")).isFalse();
            assertThat(docker.ok("ps", "-a", "-s", "--filter", "name=" + name, "--format", "{{.Size}}").out())
                    .matches("2\\d\\d(\\.\\d+)?kB \\(virtual .+\\)");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void configMacAddress_below144_isTheMainEndpointsMac(Api api, DockerCli docker) {
        String mac = "02:42:ac:11:00:7b";
        Api.Response c = api.postJson("/v1.43/containers/create", Map.of("Image", BUSYBOX, "MacAddress", mac,
                "Cmd", List.of("sleep", "60")));
        assertThat(c.status()).as(c.toString()).isEqualTo(201);
        String id = c.json().path("Id").asText();
        try {
            assertThat(api.post("/containers/" + id + "/start").status()).isEqualTo(204);
            JsonNode ns = api.get("/containers/" + id + "/json").json().path("NetworkSettings");
            assertThat(ns.path("Networks").path("bridge").path("MacAddress").asText()).isEqualTo(mac);
            assertThat(docker.ok("exec", id, "cat", "/sys/class/net/eth0/address").out()).isEqualTo(mac);
        } finally {
            docker.run("rm", "-f", id);
        }
    }

    @Test
    void logOptionsWithoutADriver_stayInInspect(Api api, DockerCli docker) {
        Api.Response c = api.postJson("/containers/create", Map.of("Image", BUSYBOX, "HostConfig",
                Map.of("LogConfig", Map.of("Type", "", "Config", Map.of("max-size", "1m")))));
        assertThat(c.status()).as(c.toString()).isEqualTo(201);
        String id = c.json().path("Id").asText();
        try {
            JsonNode lc = api.get("/containers/" + id + "/json").json().path("HostConfig").path("LogConfig");
            assertThat(lc.path("Type").asText()).isEqualTo("json-file");
            assertThat(lc.path("Config").path("max-size").asText()).isEqualTo("1m");
        } finally {
            docker.run("rm", "-f", id);
        }
    }

    @Test
    void consoleSize_isTheTerminalsSizeFromTheFirstInstruction(Api api, DockerCli docker) {
        // the docker CLI sends the client's terminal size at create for -t: a program that reads it
        // at once must see it (not 0 0 until the resize that follows the start)
        Api.Response c = api.postJson("/containers/create", Map.of("Image", BUSYBOX, "Tty", true,
                "Cmd", List.of("stty", "size"), "HostConfig", Map.of("ConsoleSize", List.of(41, 117))));
        assertThat(c.status()).as(c.toString()).isEqualTo(201);
        String id = c.json().path("Id").asText();
        try {
            docker.ok("start", "-a", id);
            assertThat(docker.ok("logs", id).out().strip()).isEqualTo("41 117");
        } finally {
            docker.run("rm", "-f", id);
        }
    }

    @Test
    void deviceCgroupRules_openWhatTheyAllow(Api api, DockerCli docker) {
        String probe = "mknod /tmp/fuse c 10 229 && (exec 3<>/tmp/fuse) && echo opened";
        var without = docker.run("run", "--rm", BUSYBOX, "sh", "-c", probe);
        assertThat(without.out() + without.stderr()).doesNotContain("opened").contains("Operation not permitted");
        assertThat(docker.ok("run", "--rm", "--device-cgroup-rule", "c 10:229 rwm", BUSYBOX, "sh", "-c", probe).out())
                .isEqualTo("opened");
        Api.Response bad = api.postJson("/containers/create", Map.of("Image", BUSYBOX, "HostConfig",
                Map.of("DeviceCgroupRules", List.of("c 10:229 rwx"))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.message()).isEqualTo("invalid device cgroup format 'c 10:229 rwx'");
    }

    @Test
    void maskedAndReadonlyPaths_inspectShowsWhatIsApplied(Api api, DockerCli docker) {
        String plain = Names.unique("masked");
        String custom = Names.unique("maskedc");
        String priv = Names.unique("maskedp");
        try {
            docker.ok("create", "--name", plain, BUSYBOX, "true");
            JsonNode hc = api.get("/containers/" + plain + "/json").json().path("HostConfig");
            assertThat(hc.path("MaskedPaths").toString()).contains("\"/proc/kcore\"", "\"/sys/firmware\"");
            assertThat(hc.path("ReadonlyPaths").toString()).contains("\"/proc/sys\"", "\"/proc/sysrq-trigger\"");
            docker.ok("create", "--name", priv, "--privileged", BUSYBOX, "true");
            JsonNode phc = api.get("/containers/" + priv + "/json").json().path("HostConfig");
            assertThat(phc.path("MaskedPaths").isNull() || phc.path("MaskedPaths").isMissingNode()).isTrue();

            Api.Response c = api.postJson("/containers/create?name=" + custom, Map.of("Image", BUSYBOX,
                    "Cmd", List.of("sh", "-c", "for p in /proc/cpuinfo /proc/kcore; do [ -c $p ] && echo masked || echo plain; done"),
                    "HostConfig", Map.of("MaskedPaths", List.of("/proc/cpuinfo"), "ReadonlyPaths", List.of())));
            assertThat(c.status()).as(c.toString()).isEqualTo(201);
            assertThat(api.get("/containers/" + custom + "/json").json().path("HostConfig").path("MaskedPaths")
                    .toString()).isEqualTo("[\"/proc/cpuinfo\"]");
            docker.ok("start", "-a", custom);
            List<String> out = docker.ok("logs", custom).lines();
            assertThat(out).as("/proc/cpuinfo masked (/dev/null over it), /proc/kcore not any more")
                    .containsExactly("masked", "plain");
        } finally {
            docker.run("rm", "-f", plain, custom, priv);
        }
    }

    @Test
    void legacyLinks_hostsEnvInspectNamesAndRemoval(Api api, DockerCli docker) {
        String db = Names.unique("lnkdb");
        String web = Names.unique("lnkweb");
        try {
            docker.ok("run", "-d", "--name", db, "-e", "FOO=1", "--expose", "6379", BUSYBOX, "sleep", "60");
            String ip = docker.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", db).out();
            String dbHost = docker.ok("inspect", "-f", "{{.Config.Hostname}}", db).out();
            docker.ok("run", "--name", web, "--link", db + ":my-db", BUSYBOX, "sh", "-c", "env; cat /etc/hosts");
            List<String> out = docker.ok("logs", web).lines();
            assertThat(out).contains("MY_DB_NAME=/" + web + "/my-db", "MY_DB_ENV_FOO=1",
                    "MY_DB_PORT=tcp://" + ip + ":6379", "MY_DB_PORT_6379_TCP=tcp://" + ip + ":6379",
                    "MY_DB_PORT_6379_TCP_ADDR=" + ip, "MY_DB_PORT_6379_TCP_PORT=6379", "MY_DB_PORT_6379_TCP_PROTO=tcp",
                    ip + "\tmy-db " + dbHost + " " + db);
            assertThat(api.get("/containers/" + web + "/json").json().path("HostConfig").path("Links").toString())
                    .isEqualTo("[\"/" + db + ":/" + web + "/my-db\"]");
            JsonNode listed = api.get("/containers/json?filters=" + Api.q("{\"name\":[\"^/" + db + "$\"]}")).json();
            assertThat(listed.path(0).path("Names").toString()).contains("\"/" + web + "/my-db\"");

            Api.Response rm = api.delete("/containers/" + web + "/my-db?link=1");
            assertThat(rm.status()).as(rm.toString()).isEqualTo(204);
            JsonNode links = api.get("/containers/" + web + "/json").json().path("HostConfig").path("Links");
            assertThat(links.isNull() || links.isMissingNode()).as(links.toString()).isTrue();
            assertThat(api.get("/containers/json?filters=" + Api.q("{\"name\":[\"^/" + db + "$\"]}")).json()
                    .path(0).path("Names").toString()).doesNotContain("my-db");
            assertThat(docker.ok("ps", "-a", "--format", "{{.Names}}").lines()).contains(db, web);

            Api.Response bad = api.postJson("/containers/create", Map.of("Image", BUSYBOX, "HostConfig",
                    Map.of("Links", List.of("nosuchctr:x"))));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.message()).startsWith("could not get container for nosuchctr");
        } finally {
            docker.run("rm", "-f", web, db);
        }
    }
}
