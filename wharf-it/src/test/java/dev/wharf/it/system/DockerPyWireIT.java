package dev.wharf.it.system;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.TestImages;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
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

    @Test
    void commit_withAConfigBody_mergesItOverTheContainersConfig(Api api, DockerCli docker) {
        String name = Names.unique("pycommit");
        String repo = Names.unique("pycommitted");
        try {
            docker.ok("run", "--name", name, "-e", "KEEP=1", "-e", "A=0", "--label", "old=1", BUSYBOX,
                    "touch", "/made");
            // docker-py's container.commit(conf={...}) sends the config as the body
            Api.Response r = api.postJson("/commit?container=" + name + "&repo=" + repo + "&tag=t",
                    Map.of("Env", List.of("A=1"), "Cmd", List.of("sh", "-c", "echo $A $KEEP; ls /made"),
                            "Labels", Map.of("new", "2"), "WorkingDir", "/tmp"));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            JsonNode config = api.get("/images/" + repo + ":t/json").json().path("Config");
            assertThat(config.path("Cmd").toString()).isEqualTo("[\"sh\",\"-c\",\"echo $A $KEEP; ls /made\"]");
            assertThat(config.path("WorkingDir").asText()).isEqualTo("/tmp");
            assertThat(config.path("Labels").path("old").asText()).isEqualTo("1");
            assertThat(config.path("Labels").path("new").asText()).isEqualTo("2");
            assertThat(docker.ok("run", "--rm", repo + ":t").lines()).containsExactly("1 1", "/made");
        } finally {
            docker.run("rm", "-f", name);
            docker.run("rmi", repo + ":t");
        }
    }

    @Test
    void defaultPath_isGivenToTheProcessAndExecs_butNotStoredInConfigEnv(Api api, DockerCli docker) {
        String image = Names.unique("pynopath");
        String name = Names.unique("pypath");
        TestImages.importTar(api, TestImages.busyboxTarBytes(), image, "latest", List.of("CMD [\"sh\"]"));
        try {
            docker.ok("run", "-d", "--name", name, "-e", "A=1", image, "sleep", "60");
            // docker-py's test_create_with_environment_variable compares Config.Env with what was given
            JsonNode env = api.get("/containers/" + name + "/json").json().path("Config").path("Env");
            assertThat(env.toString()).isEqualTo("[\"A=1\"]");
            assertThat(docker.ok("exec", name, "env").lines()).contains("PATH=" + TestImages.DEFAULT_PATH, "A=1");
            assertThat(docker.ok("run", "--rm", image, "env").lines()).contains("PATH=" + TestImages.DEFAULT_PATH);
            // an image that sets PATH keeps it in Config.Env, as Docker shows it
            docker.ok("create", "--name", name + "b", BUSYBOX);
            assertThat(api.get("/containers/" + name + "b/json").json().path("Config").path("Env").toString())
                    .isEqualTo("[\"PATH=" + TestImages.DEFAULT_PATH + "\"]");
        } finally {
            docker.run("rm", "-f", name, name + "b");
            docker.run("rmi", image);
        }
    }

    @Test
    void volumeDriver_unknownPlugin_failsOnlyWhenAVolumeNeedsIt(Api api, DockerCli docker) {
        String name = Names.unique("pyvoldrv");
        try {
            // docker-py's test_create_with_volume_driver: no volume, so Docker never looks the driver up
            Api.Response created = api.postJson("/containers/create?name=" + name, Map.of("Image", BUSYBOX,
                    "Cmd", List.of("sleep", "300"), "HostConfig", Map.of("VolumeDriver", "foo")));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(api.get("/containers/" + name + "/json").json().path("HostConfig").path("VolumeDriver")
                    .asText()).isEqualTo("foo");
            Api.Response needs = api.postJson("/containers/create", Map.of("Image", BUSYBOX, "HostConfig",
                    Map.of("VolumeDriver", "foo", "Binds", List.of(name + "-data:/data"))));
            assertThat(needs.status()).as(needs.toString()).isEqualTo(400);
            assertThat(needs.json().path("message").asText())
                    .isEqualTo("error looking up volume plugin foo: plugin \"foo\" not found");
            assertThat(docker.ok("volume", "ls", "-q").lines()).doesNotContain(name + "-data");
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void perNetworkLinks_areKept_andTheAliasResolvesInTheContainer(Api api, DockerCli docker) {
        String net = Names.unique("pylinks");
        String name = Names.unique("pylinker");
        String upstream = Names.unique("pyupstream");
        try {
            docker.ok("network", "create", net);
            // docker-py's create_endpoint_config(links=[(upstream, 'bar')]) sends "upstream:bar"
            Api.Response created = api.postJson("/containers/create?name=" + name, Map.of("Image", BUSYBOX,
                    "Cmd", List.of("sleep", "300"), "HostConfig", Map.of("NetworkMode", net),
                    "NetworkingConfig", Map.of("EndpointsConfig", Map.of(net,
                            Map.of("Links", List.of(upstream + ":bar"))))));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(api.post("/containers/" + name + "/start").status()).isEqualTo(204);
            JsonNode ep = api.get("/containers/" + name + "/json").json().path("NetworkSettings").path("Networks")
                    .path(net);
            assertThat(ep.path("Links").toString()).isEqualTo("[\"" + upstream + ":bar\"]");
            docker.ok("run", "-d", "--name", upstream, "--network", net, BUSYBOX, "sleep", "300");
            String ip = docker.ok("inspect", "--format", "{{(index .NetworkSettings.Networks \"" + net
                    + "\").IPAddress}}", upstream).out();
            assertThat(docker.ok("exec", name, "nslookup", "bar").out()).contains(ip);

            // network connect keeps them too (docker-py's test_connect_with_links)
            docker.ok("network", "disconnect", net, name);
            Api.Response connected = api.postJson("/networks/" + net + "/connect", Map.of("Container", name,
                    "EndpointConfig", Map.of("Links", List.of(upstream + ":baz"))));
            assertThat(connected.status()).as(connected.toString()).isEqualTo(200);
            assertThat(api.get("/containers/" + name + "/json").json().path("NetworkSettings").path("Networks")
                    .path(net).path("Links").toString()).isEqualTo("[\"" + upstream + ":baz\"]");
        } finally {
            docker.run("rm", "-f", name, upstream);
            docker.run("network", "rm", net);
        }
    }

    /**
     * docker-py 7.1's test_connect_with_mac_address: a MAC address given at connect (or in create's
     * EndpointsConfig) shows in inspect before the container has run, and is the interface's
     * address when it runs; a network without one shows "" until then.
     */
    @Test
    void macAddressAskedFor_showsBeforeTheContainerRuns(Api api, DockerCli docker) {
        String net = Names.unique("pymacnet");
        String connected = Names.unique("pymacconn");
        String created = Names.unique("pymaccreate");
        try {
            docker.ok("network", "create", net);
            docker.ok("create", "--name", connected, BUSYBOX, "sleep", "300");
            Api.Response r = api.postJson("/v1.44/networks/" + net + "/connect", Map.of("Container", connected,
                    "EndpointConfig", Map.of("MacAddress", "02:42:AC:11:00:02")));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode nets = api.get("/v1.44/containers/" + connected + "/json").json().path("NetworkSettings")
                    .path("Networks");
            assertThat(nets.path(net).path("MacAddress").asText()).isEqualTo("02:42:ac:11:00:02");
            assertThat(nets.path("bridge").path("MacAddress").asText()).isEmpty();

            Api.Response c = api.postJson("/v1.44/containers/create?name=" + created, Map.of("Image", BUSYBOX,
                    "Cmd", List.of("sleep", "300"), "HostConfig", Map.of("NetworkMode", net),
                    "NetworkingConfig", Map.of("EndpointsConfig", Map.of(net, Map.of("MacAddress",
                            "02:42:ac:11:00:03")))));
            assertThat(c.status()).as(c.toString()).isEqualTo(201);
            assertThat(api.get("/v1.44/containers/" + created + "/json").json().path("NetworkSettings")
                    .path("Networks").path(net).path("MacAddress").asText()).isEqualTo("02:42:ac:11:00:03");
            docker.ok("start", created);
            assertThat(docker.ok("exec", created, "cat", "/sys/class/net/eth0/address").out())
                    .isEqualTo("02:42:ac:11:00:03");
        } finally {
            docker.run("rm", "-f", connected, created);
            docker.run("network", "rm", net);
        }
    }

    /**
     * docker-py 7.1's test_create_with_ipv6_address and test_connect_with_ipv6_address: a network
     * with an IPv6 pool and no EnableIPv6, a container given an address in that pool. Docker 25-28
     * (API 1.44, what Wharf serves) keep the address in the endpoint's IPAMConfig and assign it to
     * no interface; an address outside every configured subnet is moby's 400 and makes nothing.
     */
    @Test
    void ipv6Address_inTheUnusedPoolOfANetworkWithoutIpv6_isKeptInItsConfig(Api api, DockerCli docker) {
        String net = Names.unique("pyv6");
        String name = Names.unique("pyv6c");
        String other = Names.unique("pyv6o");
        try {
            Api.Response made = api.postJson("/networks/create", Map.of("Name", net, "IPAM", Map.of("Driver",
                    "default", "Config", List.of(Map.of("Subnet", "2001:389::1/64")))));
            assertThat(made.status()).as(made.toString()).isEqualTo(201);
            Api.Response created = api.postJson("/containers/create?name=" + name, Map.of("Image", BUSYBOX,
                    "Cmd", List.of("top"), "HostConfig", Map.of("NetworkMode", net), "NetworkingConfig",
                    Map.of("EndpointsConfig", Map.of(net, Map.of("IPAMConfig",
                            Map.of("IPv6Address", "2001:389::f00d"))))));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            docker.ok("start", name);
            JsonNode ep = api.get("/containers/" + name + "/json").json().path("NetworkSettings").path("Networks")
                    .path(net);
            assertThat(ep.path("IPAMConfig").path("IPv6Address").asText()).isEqualTo("2001:389::f00d");
            assertThat(ep.path("GlobalIPv6Address").asText()).isEmpty();
            assertThat(ep.path("IPAddress").asText()).isNotEmpty();
            assertThat(docker.ok("exec", name, "ip", "-6", "addr", "show", "eth0").out()).doesNotContain("2001:389");

            // connect after a disconnect, as docker-py's test does
            docker.ok("network", "disconnect", net, name);
            Api.Response connected = api.postJson("/networks/" + net + "/connect", Map.of("Container", name,
                    "EndpointConfig", Map.of("IPAMConfig", Map.of("IPv6Address", "2001:389::33"))));
            assertThat(connected.status()).as(connected.toString()).isEqualTo(200);
            assertThat(api.get("/containers/" + name + "/json").json().path("NetworkSettings").path("Networks")
                    .path(net).path("IPAMConfig").path("IPv6Address").asText()).isEqualTo("2001:389::33");

            String noSubnet = "invalid endpoint settings:\nno configured subnet contains IP address 2001:db8::1";
            Api.Response outside = api.postJson("/containers/create?name=" + other, Map.of("Image", BUSYBOX,
                    "Cmd", List.of("top"), "HostConfig", Map.of("NetworkMode", net), "NetworkingConfig",
                    Map.of("EndpointsConfig", Map.of(net, Map.of("IPAMConfig",
                            Map.of("IPv6Address", "2001:db8::1"))))));
            assertThat(outside.status()).as(outside.toString()).isEqualTo(400);
            assertThat(outside.json().path("message").asText())
                    .isEqualTo("invalid config for network " + net + ": " + noSubnet);
            assertThat(docker.run("inspect", other).exitCode()).isEqualTo(1);
        } finally {
            docker.run("rm", "-f", name, other);
            docker.run("network", "rm", net);
        }
    }

    @Test
    void archive_ofTheEnginesEtcHostname_isTheFileTheContainerSees(Api api, DockerCli docker) throws Exception {
        String name = Names.unique("pyhostname");
        try {
            docker.ok("run", "-d", "--name", name, "--hostname", "pyhost", BUSYBOX, "sleep", "300");
            byte[] content = "pyhost\n".getBytes(StandardCharsets.UTF_8);
            // docker-py's test_get_file_stat_from_container: the stat's size is the file's
            Api.Response head = api.head("/containers/" + name + "/archive?path=/etc/hostname", Map.of());
            assertThat(head.status()).as(head.toString()).isEqualTo(200);
            JsonNode stat = Api.JSON.readTree(Base64.getDecoder().decode(
                    head.header("X-Docker-Container-Path-Stat").orElseThrow()));
            assertThat(stat.path("name").asText()).isEqualTo("hostname");
            assertThat(stat.path("size").asLong()).isEqualTo(content.length);
            Api.Response get = api.get("/containers/" + name + "/archive?path=/etc/hostname");
            assertThat(get.status()).as(get.toString()).isEqualTo(200);
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(get.body()))) {
                TarArchiveEntry e = tar.getNextEntry();
                assertThat(e.getName()).isEqualTo("hostname");
                assertThat(tar.readAllBytes()).isEqualTo(content);
            }
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void attach_logsWithoutStream_readAsDockerPyDoes_losesNothing(Api api, DockerCli docker) throws Exception {
        String name = Names.unique("pyattach");
        try {
            docker.ok("run", "--name", name, BUSYBOX, "sh", "-c", "seq 1 50");
            String expected = docker.ok("logs", name).stdout();
            String req = "POST /v1.44/containers/" + name + "/attach?logs=1&stream=0&stdout=1&stderr=1 HTTP/1.1\r\n"
                    + "Host: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n";
            int headLength;
            try (SocketChannel sc = SocketChannel.open(UnixDomainSocketAddress.of(api.socket()))) {
                sc.write(ByteBuffer.wrap(req.getBytes(StandardCharsets.ISO_8859_1)));
                headLength = readHead(Channels.newInputStream(sc)).length();
            }
            // docker-py's attach(stream=False, logs=True): http.client reads the head through an 8 KiB
            // buffer, then docker-py reads the body from the raw socket; bytes that came with the
            // head stay in that buffer and are lost. A Python client is slow to read the head, so
            // this one waits until more than the head is there to read (or a second has passed).
            try (SocketChannel sc = SocketChannel.open(UnixDomainSocketAddress.of(api.socket()))) {
                sc.write(ByteBuffer.wrap(req.getBytes(StandardCharsets.ISO_8859_1)));
                InputStream raw = Channels.newInputStream(sc);
                long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                while (raw.available() <= headLength && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
                }
                String head = readHead(new BufferedInputStream(raw, 8192));
                assertThat(head).startsWith("HTTP/1.1 101 UPGRADED");
                assertThat(Api.demux(raw.readAllBytes())[0]).isEqualTo(expected);
            }
        } finally {
            docker.run("rm", "-f", name);
        }
    }

    @Test
    void attachOverTcp_logsWithoutStream_theHeadArrivesOnItsOwn() throws Exception {
        int port = freePort();
        try (WharfdProcess own = startOverTcp(port)) {
            DockerCli docker = new DockerCli(own.socket());
            String name = Names.unique("tcpattach");
            docker.ok("run", "--name", name, BUSYBOX, "echo", "hello");
            String req = "POST /v1.44/containers/" + name + "/attach?logs=1&stream=0&stdout=1&stderr=1 HTTP/1.1\r\n"
                    + "Host: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n";
            // docker-py over TCP, already blocked reading when the head comes: http.client's buffer
            // takes what that first read returns, and frames in it are lost to docker-py.
            int alone = 0;
            for (int i = 0; i < 40; i++) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
                    InputStream in = s.getInputStream();
                    byte[] first = new byte[8192];
                    int n = in.read(first);
                    String head = new String(first, 0, n, StandardCharsets.ISO_8859_1);
                    assertThat(head).startsWith("HTTP/1.1 101 UPGRADED");
                    if (head.endsWith("\r\n\r\n")) {
                        alone++;
                    }
                    int bodyStart = head.indexOf("\r\n\r\n") + 4;
                    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
                    body.write(first, bodyStart, n - bodyStart);
                    in.transferTo(body);
                    assertThat(Api.demux(body.toByteArray())[0]).isEqualTo("hello\n");
                }
            }
            // a loaded machine may wake the reader late now and then; before, a third came together
            assertThat(alone).as("attaches whose first read held the head alone, of 40").isGreaterThanOrEqualTo(36);
        }
    }

    @Test
    void logsAskedRightAfterTheStart_holdAShortCommandsOutput() throws Exception {
        int port = freePort();
        try (WharfdProcess own = startOverTcp(port)) {
            // docker-py's build tests over TCP, on one kept-alive connection: create_container(img,
            // 'ls -a'), start, then logs at once
            var http = java.net.http.HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port + "/v1.44";
            for (int i = 0; i < 20; i++) {
                var created = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/containers/create"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"Image\":\"" + BUSYBOX + "\",\"Cmd\":[\"ls\",\"-a\",\"/\"]}"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                String id = Api.JSON.readTree(created.body()).path("Id").asText();
                var started = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/containers/" + id
                        + "/start")).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                assertThat(started.statusCode()).isEqualTo(204);
                var logs = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/containers/" + id
                        + "/logs?stdout=1&stderr=1")).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertThat(Api.demux(logs.body())[0]).as("attempt %d", i).startsWith(".\n..\n").contains("\nbin\n");
            }
        }
    }

    /** A TCP port nothing listens on now. */
    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** A wharfd of the test's own that also listens on TCP (docker-py's CI talks to Docker so), with busybox. */
    private static WharfdProcess startOverTcp(int port) {
        WharfdProcess own = WharfdProcess.start(List.of("--host", "tcp://127.0.0.1:" + port));
        try {
            TestImages.importBusybox(own.api());
            return own;
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /** Reads up to and with the blank line that ends an HTTP head. */
    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0) {
            head.append((char) c);
        }
        return head.toString();
    }
}
