package dev.wharf.it.network;

import static dev.wharf.it.kit.TestImages.BUSYBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wharf.it.kit.Api;
import dev.wharf.it.kit.CliResult;
import dev.wharf.it.kit.DockerCli;
import dev.wharf.it.kit.Names;
import dev.wharf.it.kit.WharfIT;
import dev.wharf.it.kit.WharfdProcess;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Networks through the real docker CLI: the default bridge, user networks with names resolved by
 * aardvark-dns, published ports fetched from the host on 127.0.0.1, isolation, connect and
 * disconnect, and a wharfd SIGKILL. Traffic goes only to loopback and the test's own containers;
 * containers that might look a name up get {@code --dns 127.0.0.1}.
 */
@WharfIT
class DockerNetworkIT {

    /** A busybox httpd that answers "hello" on port 80. */
    private static final String[] WEB = {BUSYBOX, "sh", "-c", "echo hello > /tmp/index.html; exec httpd -f -p 80 -h /tmp"};

    /** Fetches http://host/ by name (busybox 1.35's wget crashes on -T, so timeout bounds it). */
    static String getByName(String host) {
        return "timeout 5 wget -qO- http://" + host + "/";
    }

    private static String[] webArgs(String... before) {
        String[] out = new String[before.length + WEB.length];
        System.arraycopy(before, 0, out, 0, before.length);
        System.arraycopy(WEB, 0, out, before.length, WEB.length);
        return out;
    }

    @Test
    void inspectBelow145_listsTheShortIdAndHostnameAmongTheAliases_ofUserDefinedNetworksOnly(DockerCli docker, Api api) {
        String net = Names.unique("alnet");
        String c = Names.unique("alc");
        String h = Names.unique("alh");
        try {
            docker.ok("network", "create", net);
            String id = docker.ok("create", "--name", c, "--network", net, "--network-alias", "svc", BUSYBOX, "sleep", "60")
                    .out();
            String shortId = id.substring(0, 12);
            String aliases = "{{json (index .NetworkSettings.Networks \"" + net + "\").Aliases}}";
            // docker-compose 1.x keeps a container on its networks only when its short ID is an alias there
            assertThat(docker.ok("inspect", "-f", aliases, c).out()).isEqualTo("[\"svc\",\"" + shortId + "\"]");
            docker.ok("start", c);
            assertThat(docker.ok("inspect", "-f", aliases, c).out()).isEqualTo("[\"svc\",\"" + shortId + "\"]");
            String hid = docker.ok("run", "-d", "--name", h, "--hostname", "box", "--network", net, BUSYBOX, "sleep", "60")
                    .out();
            var networks = api.get("/v1.44/containers/" + h + "/json").json().path("NetworkSettings").path("Networks");
            assertThat(networks.path(net).path("Aliases").toString())
                    .isEqualTo("[\"" + hid.substring(0, 12) + "\",\"box\"]");
            docker.ok("network", "connect", "bridge", h);
            networks = api.get("/v1.44/containers/" + h + "/json").json().path("NetworkSettings").path("Networks");
            assertThat(networks.path("bridge").path("Aliases").isNull()).as(networks.toString()).isTrue();
        } finally {
            docker.run("rm", "-f", c, h);
            docker.run("network", "rm", net);
        }
    }

    @Test
    void defaultBridge_givesAnAddress_hostsAndInspect(DockerCli docker) {
        String name = Names.unique("br");
        try {
            docker.ok("run", "-d", "--name", name, "--add-host", "extra.test:10.1.2.3", BUSYBOX, "sleep", "60");
            String ip = docker.ok("inspect", "-f", "{{.NetworkSettings.IPAddress}}", name).out();
            String gw = docker.ok("inspect", "-f", "{{.NetworkSettings.Networks.bridge.Gateway}}", name).out();
            assertThat(ip).matches("10\\.\\d+\\.\\d+\\.\\d+");
            assertThat(gw).matches("10\\.\\d+\\.\\d+\\.1");
            CliResult hosts = docker.ok("exec", name, "cat", "/etc/hosts");
            assertThat(hosts.stdout()).contains("127.0.0.1\tlocalhost").contains("10.1.2.3\textra.test")
                    .contains(ip + "\t");
            assertThat(docker.ok("exec", name, "ip", "-4", "addr", "show", "eth0").stdout()).contains("inet " + ip + "/");
            assertThat(docker.ok("exec", name, "ping", "-c", "1", "-W", "2", gw).exitCode()).isZero();
        } finally {
            docker.run("rm", "-f", name);
        }
        CliResult rm = docker.run("run", "--rm", BUSYBOX, "true");
        assertThat(rm.exitCode()).as(rm.toString()).isZero();
    }

    @Test
    void aRenamedContainer_answersToItsNewNameOnly_whileRunningAndAfterARestart(DockerCli docker) {
        String net = Names.unique("rnet");
        String web = Names.unique("web");
        String renamed = web + "-new";
        String again = web + "-again";
        try {
            docker.ok("network", "create", net);
            docker.ok(webArgs("run", "-d", "--name", web, "--network", net, "--network-alias", "svc"));
            docker.ok("rename", web, renamed);
            for (String host : new String[] {renamed, renamed + "." + net, "svc"}) {
                CliResult get = docker.run("run", "--rm", "--network", net, BUSYBOX, "sh", "-c", getByName(host));
                assertThat(get.stdout()).as(host + ": " + get).isEqualTo("hello\n");
            }
            CliResult old = docker.run("run", "--rm", "--network", net, BUSYBOX, "sh", "-c", getByName(web));
            assertThat(old.exitCode()).as("the old name: " + old).isNotZero();
            assertThat(docker.ok("network", "inspect", "-f", "{{range .Containers}}{{.Name}}{{end}}", net).out())
                    .isEqualTo(renamed);
            assertThat(docker.ok("inspect", "-f", "{{json (index .NetworkSettings.Networks \"" + net + "\").DNSNames}}",
                    renamed).out()).startsWith("[\"" + renamed + "\",\"svc\"");

            docker.ok("stop", "-t", "1", renamed); // renamed while stopped: the next start has the new name
            docker.ok("rename", renamed, again);
            docker.ok("start", again);
            CliResult byNew = docker.run("run", "--rm", "--network", net, BUSYBOX, "sh", "-c", getByName(again));
            assertThat(byNew.stdout()).as(byNew.toString()).isEqualTo("hello\n");
            CliResult byOld = docker.run("run", "--rm", "--network", net, BUSYBOX, "sh", "-c", getByName(renamed));
            assertThat(byOld.exitCode()).as("the name before: " + byOld).isNotZero();
        } finally {
            docker.run("rm", "-f", web, renamed, again);
            docker.run("network", "rm", net);
        }
    }

    @Test
    void userNetwork_containersReachEachOtherByNameAliasAndShortId_butNotFromAnotherNetwork(DockerCli docker) {
        String net = Names.unique("net");
        String other = Names.unique("other");
        String web = Names.unique("web");
        try {
            docker.ok("network", "create", "--label", "it=1", net);
            docker.ok("network", "create", other);
            String id = docker.ok(webArgs("run", "-d", "--name", web, "--network", net, "--network-alias", "svc")).out();
            // Docker's resolver also answers a name qualified by its network's name
            for (String host : new String[] {web, "svc", id.substring(0, 12), web + "." + net, "svc." + net}) {
                CliResult get = docker.run("run", "--rm", "--network", net, "--dns", "127.0.0.1", BUSYBOX,
                        "sh", "-c", getByName(host));
                assertThat(get.exitCode()).as(get.toString()).isZero();
                assertThat(get.stdout()).isEqualTo("hello\n");
            }
            String ip = docker.ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}}", web).out();
            assertThat(docker.ok("network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}", net).out())
                    .startsWith(web + " " + ip + "/");
            CliResult byName = docker.run("run", "--rm", "--network", other, "--dns", "127.0.0.1", BUSYBOX,
                    "sh", "-c", getByName(web));
            assertThat(byName.exitCode()).as(byName.toString()).isNotZero();
            // on both networks now: asked from net, the name qualified by the network the asker is not on
            docker.ok("network", "connect", other, web);
            CliResult wrongNetwork = docker.run("run", "--rm", "--network", net, "--dns", "127.0.0.1", BUSYBOX,
                    "sh", "-c", getByName(web + "." + other));
            assertThat(wrongNetwork.exitCode()).as(wrongNetwork.toString()).isNotZero();
            docker.ok("network", "disconnect", other, web);
            // Under sh with a command after it (so sh cannot exec it as PID 1, which ignores SIGTERM).
            CliResult byIp = docker.run("run", "--rm", "--network", other, BUSYBOX,
                    "sh", "-c", "timeout 3 wget -qO- http://" + ip + "/; exit $?");
            assertThat(byIp.exitCode()).as("isolated: " + byIp).isNotZero();
            CliResult rm = docker.run("network", "rm", net);
            assertThat(rm.exitCode()).isNotZero();
            assertThat(rm.stderr()).contains("has active endpoints");
        } finally {
            docker.run("rm", "-f", web);
            docker.run("network", "rm", net, other);
        }
        assertThat(docker.ok("network", "ls", "--format", "{{.Name}}").lines()).doesNotContain(net, other);
    }

    /**
     * Isolation must hold while other networks come and go: netavark 1.4 dropped its isolation jump
     * when a third network was torn down completely, which let the two running ones talk.
     */
    @Test
    void isolation_holdsAfterAnotherNetworkIsTornDown_andPublishedPortsStayReachable(DockerCli docker) throws Exception {
        String a = Names.unique("isoa");
        String b = Names.unique("isob");
        String c = Names.unique("isoc");
        String web = Names.unique("isoweb");
        String client = Names.unique("isocli");
        int port = freePort();
        try {
            docker.ok("network", "create", a);
            docker.ok("network", "create", b);
            docker.ok("network", "create", c);
            docker.ok(webArgs("run", "-d", "--name", web, "--network", a, "-p", port + ":80"));
            docker.ok("run", "-d", "--name", client, "--network", b, BUSYBOX, "sleep", "120");
            String ip = docker.ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + a + "\").IPAddress}}", web).out();
            String gwB = docker.ok("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", b).out();
            String direct = "timeout 3 wget -qO- http://" + ip + "/; exit $?";
            assertThat(docker.run("exec", client, "sh", "-c", direct).exitCode()).as("isolated before").isNotZero();

            CliResult onC = docker.run("run", "--rm", "--network", c, BUSYBOX, "true");
            assertThat(onC.exitCode()).as(onC.toString()).isZero();
            docker.ok("network", "rm", c); // the last container left c: its bridge and rules go now

            assertThat(docker.run("exec", client, "sh", "-c", direct).exitCode()).as("isolated after").isNotZero();
            CliResult viaPort = docker.run("exec", client, "sh", "-c",
                    "timeout 5 wget -qO- http://" + gwB + ":" + port + "/; exit $?");
            assertThat(viaPort.exitCode()).as("published port from another network: " + viaPort).isZero();
            assertThat(viaPort.stdout()).isEqualTo("hello\n");
        } finally {
            docker.run("rm", "-f", web, client);
            docker.run("network", "rm", a, b, c);
        }
    }

    @Test
    void ipv6Network_givesAddressesThatAnswerByNameAndStayIsolated(DockerCli docker) {
        String net = Names.unique("v6");
        String auto = Names.unique("v6auto");
        String web = Names.unique("web6");
        try {
            docker.ok("network", "create", "--ipv6", "--subnet", "fd00:5eed:1::/64", net);
            docker.ok("network", "create", "--ipv6", auto);
            assertThat(docker.ok("network", "inspect", "-f", "{{.EnableIPv6}} {{range .IPAM.Config}}{{.Subnet}} {{end}}",
                    auto).out()).matches("true \\d+\\.\\d+\\.\\d+\\.\\d+/\\d+ fd[0-9a-f:]+::/64");
            docker.ok("run", "-d", "--name", web, "--network", net, BUSYBOX,
                    "sh", "-c", "echo hello6 > /tmp/index.html; exec httpd -f -p 80 -h /tmp");
            assertThat(docker.ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + net
                    + "\").GlobalIPv6Address}} {{(index .NetworkSettings.Networks \"" + net + "\").IPv6Gateway}}", web).out())
                    .isEqualTo("fd00:5eed:1::2 fd00:5eed:1::1");
            assertThat(docker.ok("network", "inspect", "-f", "{{range .Containers}}{{.IPv6Address}}{{end}}", net).out())
                    .isEqualTo("fd00:5eed:1::2/64");

            CliResult fetch = docker.run("run", "--rm", "--network", net, "--ip6", "fd00:5eed:1::99", BUSYBOX, "sh", "-c",
                    "ip -6 addr show eth0; ping -6 -c 1 -W 2 " + web + " && timeout 5 wget -qO- 'http://[fd00:5eed:1::2]/'");
            assertThat(fetch.exitCode()).as(fetch.toString()).isZero();
            assertThat(fetch.stdout()).contains("inet6 fd00:5eed:1::99/64").contains("from fd00:5eed:1::2").endsWith("hello6\n");

            CliResult other = docker.run("run", "--rm", "--network", auto, BUSYBOX, "sh", "-c",
                    "timeout 3 wget -qO- 'http://[fd00:5eed:1::2]/'; exit $?");
            assertThat(other.exitCode()).as("isolated over IPv6: " + other).isNotZero();

            CliResult overlap = docker.run("network", "create", "--ipv6", "--subnet", "fd00:5eed:1:0:1::/80", Names.unique("ov"));
            assertThat(overlap.exitCode()).isNotZero();
            assertThat(overlap.stderr()).contains("Pool overlaps");
            // as Docker: an IPv6 subnet without --ipv6 is kept in the IPAM config and left unused
            String nof = Names.unique("nof");
            CliResult noFlag = docker.run("network", "create", "--subnet", "fd00:5eed:2::/64", nof);
            assertThat(noFlag.exitCode()).as(noFlag.toString()).isZero();
            assertThat(docker.ok("network", "inspect", "-f", "{{.EnableIPv6}}", nof).out()).isEqualTo("false");
            docker.ok("network", "rm", nof);
        } finally {
            docker.run("rm", "-f", web);
            docker.run("network", "rm", net, auto);
        }
    }

    @Test
    void publishedPorts_answerOnLoopback_andAHeldPortIsAClearError(DockerCli docker) throws Exception {
        String web = Names.unique("pub");
        String clash = Names.unique("clash");
        int fixed = freePort();
        try {
            docker.ok(webArgs("run", "-d", "--name", web, "-p", fixed + ":80", "-p", "127.0.0.1::80", "--expose", "81"));
            assertThat(fetch(fixed)).isEqualTo("hello\n");
            String port = docker.ok("port", web).out();
            assertThat(port).contains("80/tcp -> 0.0.0.0:" + fixed).contains("80/tcp -> 127.0.0.1:");
            int random = Integer.parseInt(port.lines().filter(l -> l.contains("127.0.0.1:")).findFirst().orElseThrow()
                    .replaceAll(".*:", ""));
            assertThat(fetch(random)).isEqualTo("hello\n");
            assertThat(docker.ok("ps", "--filter", "name=" + web, "--format", "{{.Ports}}").out())
                    .contains("0.0.0.0:" + fixed + "->80/tcp");

            CliResult held = docker.run(webArgs("run", "-d", "--name", clash, "-p", fixed + ":80"));
            assertThat(held.exitCode()).isNotZero();
            assertThat(held.stderr()).containsPattern("driver failed programming external connectivity on endpoint "
                    + clash + " \\([0-9a-f]{64}\\): Bind for 0\\.0\\.0\\.0:" + fixed + " failed: port is already allocated");
            assertThat(docker.ok("inspect", "-f", "{{.State.Running}}", clash).out()).isEqualTo("false");
            try (ServerSocket hostProcess = new ServerSocket(0)) {
                CliResult busy = docker.run("start", clash);
                docker.run("rm", "-f", clash);
                CliResult inUse = docker.run(webArgs("run", "-d", "--name", clash, "-p",
                        hostProcess.getLocalPort() + ":80"));
                assertThat(busy.exitCode()).isNotZero();
                assertThat(inUse.exitCode()).isNotZero();
                assertThat(inUse.stderr()).contains("address already in use");
            }
        } finally {
            docker.run("rm", "-f", web, clash);
        }
    }

    @Test
    void connectAndDisconnect_aRunningContainer(DockerCli docker) {
        String a = Names.unique("neta");
        String web = Names.unique("cweb");
        String client = Names.unique("client");
        try {
            docker.ok("network", "create", "--subnet", "10.254.77.0/28", a);
            docker.ok(webArgs("run", "-d", "--name", web, "--network", a));
            docker.ok("run", "-d", "--name", client, "--dns", "127.0.0.1", BUSYBOX, "sleep", "60");
            String get = getByName(web);
            assertThat(docker.run("exec", client, "sh", "-c", get).exitCode()).isNotZero();

            docker.ok("network", "connect", "--alias", "cli", "--ip", "10.254.77.9", a, client);
            assertThat(docker.ok("exec", client, "ip", "-4", "addr").stdout()).contains("10.254.77.9/28");
            CliResult after = docker.run("exec", client, "sh", "-c", "printf 'nameserver 10.254.77.1\\n' > /etc/resolv.conf; " + get);
            assertThat(after.exitCode()).as(after.toString()).isZero();
            assertThat(after.stdout()).isEqualTo("hello\n");

            docker.ok("network", "disconnect", a, client);
            assertThat(docker.ok("exec", client, "ip", "-4", "addr").stdout()).doesNotContain("10.254.77.9");
            assertThat(docker.run("exec", client, "sh", "-c", get).exitCode()).isNotZero();
        } finally {
            docker.run("rm", "-f", web, client);
            docker.run("network", "rm", a);
        }
    }

    @Test
    void badInput_isA4xx_andChangesNothing(DockerCli docker, Api api) {
        String before = docker.ok("network", "ls", "-q").out();
        assertThat(api.postJson("/networks/create", Map.of("Name", "x1", "IPAM",
                Map.of("Config", java.util.List.of(Map.of("Subnet", "10.300.0.0/24"))))).status()).isEqualTo(400);
        assertThat(api.postJson("/networks/create", Map.of("Name", "")).status()).isEqualTo(400);
        assertThat(api.postJson("/networks/create", Map.of("Name", "bridge")).status()).isEqualTo(409);
        assertThat(api.delete("/networks/bridge").status()).isEqualTo(403);
        assertThat(api.delete("/networks/nosuchnet").status()).isEqualTo(404);
        CliResult run = docker.run("run", "--rm", "--network", "nosuchnet", BUSYBOX, "true");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.stderr()).contains("network nosuchnet not found");
        assertThat(docker.ok("network", "ls", "-q").out()).isEqualTo(before);
        assertThat(docker.ok("ps", "-aq").out()).isEmpty();
    }

    @Test
    void afterKill9AndRestart_addressesNamesAndPortsStillWork(WharfdProcess wharfd, DockerCli docker) throws Exception {
        String net = Names.unique("keep");
        String web = Names.unique("kweb");
        int port = freePort();
        try {
            docker.ok("network", "create", net);
            docker.ok(webArgs("run", "-d", "--name", web, "--network", net, "-p", port + ":80"));
            String ip = docker.ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}}", web).out();

            wharfd.kill9();
            wharfd.restart();

            assertThat(docker.ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}}", web).out())
                    .isEqualTo(ip);
            assertThat(fetch(port)).isEqualTo("hello\n");
            CliResult get = docker.run("run", "--rm", "--network", net, "--dns", "127.0.0.1", BUSYBOX,
                    "sh", "-c", getByName(web));
            assertThat(get.exitCode()).as(get.toString()).isZero();
            assertThat(docker.ok("port", web).out()).contains("0.0.0.0:" + port);
        } finally {
            docker.run("rm", "-f", web);
            docker.run("network", "rm", net);
        }
    }

    /**
     * A UDP datagram to a published port reaches the container: with no listener there (busybox
     * here has no UDP server), the container's kernel counts it under Udp NoPorts.
     */
    @Test
    void publishedUdpPort_deliversDatagramsIntoTheContainer(DockerCli docker) throws Exception {
        String c = Names.unique("udp");
        int port;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        try {
            docker.ok("run", "-d", "--name", c, "-p", "127.0.0.1:" + port + ":81/udp", BUSYBOX, "sleep", "60");
            assertThat(docker.ok("port", c).out()).isEqualTo("81/udp -> 127.0.0.1:" + port);
            long before = udpNoPorts(docker, c);
            try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
                byte[] b = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                s.send(new java.net.DatagramPacket(b, b.length, java.net.InetAddress.getLoopbackAddress(), port));
            }
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> udpNoPorts(docker, c) == before + 1);
        } finally {
            docker.run("rm", "-f", c);
        }
    }

    /** The container's {@code Udp: NoPorts} counter from /proc/net/snmp. */
    private static long udpNoPorts(DockerCli docker, String container) {
        List<String> udp = docker.ok("exec", container, "grep", "^Udp:", "/proc/net/snmp").stdout().lines().toList();
        List<String> names = List.of(udp.get(0).split("\\s+"));
        return Long.parseLong(udp.get(1).split("\\s+")[names.indexOf("NoPorts")]);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String fetch(int port) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String[] body = new String[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            body[0] = r.body();
        });
        return body[0];
    }

    @Test
    void connectAndDisconnect_editTheRunningHostsFile(DockerCli docker) {
        String net = Names.unique("hnet");
        String c = Names.unique("hosts");
        try {
            docker.ok("network", "create", net);
            docker.ok("run", "-d", "--name", c, BUSYBOX, "sleep", "60");
            docker.ok("network", "connect", net, c);
            String ip = docker.ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}}",
                    c).out();
            assertThat(docker.ok("exec", c, "cat", "/etc/hosts").stdout()).contains(ip + "\t");
            docker.ok("network", "disconnect", net, c);
            assertThat(docker.ok("exec", c, "cat", "/etc/hosts").stdout()).doesNotContain(ip + "\t");
        } finally {
            docker.run("rm", "-f", c);
            docker.run("network", "rm", net);
        }
    }

    @Test
    void severalContainersWithOneAlias_answerRoundRobin(DockerCli docker) {
        String net = Names.unique("rr");
        String a = Names.unique("rra");
        String b = Names.unique("rrb");
        try {
            docker.ok("network", "create", net);
            docker.ok("run", "-d", "--name", a, "--network", net, "--network-alias", "svc", BUSYBOX, "sleep", "60");
            docker.ok("run", "-d", "--name", b, "--network", net, "--network-alias", "svc", BUSYBOX, "sleep", "60");
            String ipA = docker.ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}}",
                    a).out();
            String ipB = docker.ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + net + "\").IPAddress}}",
                    b).out();
            CliResult lookups = docker.run("run", "--rm", "--network", net, "--dns", "127.0.0.1", BUSYBOX, "sh", "-c",
                    "timeout 3 nslookup svc; exit $?");
            assertThat(lookups.stdout()).contains(ipA).contains(ipB);
        } finally {
            docker.run("rm", "-f", a, b);
            docker.run("network", "rm", net);
        }
    }

    @Test
    void runOnTwoNetworksAtOnce_hasAnInterfaceAndANameOnEach(DockerCli docker) {
        String a = Names.unique("twoa");
        String b = Names.unique("twob");
        String web = Names.unique("webab");
        try {
            docker.ok("network", "create", "--subnet", "10.254.78.0/28", a);
            docker.ok("network", "create", "--subnet", "10.254.78.16/28", b);
            docker.ok(webArgs("run", "-d", "--name", web, "--network", a, "--network", b));
            assertThat(docker.ok("exec", web, "ip", "-4", "-o", "addr").stdout())
                    .contains("eth0    inet 10.254.78.2/28").contains("eth1    inet 10.254.78.18/28");
            for (String net : new String[] {a, b}) {
                CliResult get = docker.run("run", "--rm", "--network", net, BUSYBOX, "sh", "-c", getByName(web));
                assertThat(get.exitCode()).as(net + ": " + get).isZero();
                assertThat(get.stdout()).isEqualTo("hello\n");
            }
        } finally {
            docker.run("rm", "-f", web);
            docker.run("network", "rm", a, b);
        }
    }

    @Test
    void dnsFlags_addHost_publishAll_andNetworkLsFilters(DockerCli docker) {
        String gw = docker.ok("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Gateway}}{{end}}", "bridge").out();
        CliResult files = docker.ok("run", "--rm", "--dns", "10.0.0.53", "--dns-search", "corp.example",
                "--dns-option", "ndots:2", "--add-host", "gw:host-gateway", "--add-host", "db:10.1.2.3", BUSYBOX,
                "sh", "-c", "cat /etc/resolv.conf /etc/hosts");
        assertThat(files.stdout()).contains("nameserver 10.0.0.53\n").contains("search corp.example\n")
                .contains("options ndots:2\n").contains("10.1.2.3\tdb\n").contains(gw + "\tgw\n");
        // without a network of ours too: none, and the host's network (then the file is not the host's)
        for (String mode : List.of("none", "host")) {
            CliResult hosts = docker.ok("run", "--rm", "--network", mode, "--add-host", "gw:host-gateway",
                    "--add-host", "db:10.1.2.3", BUSYBOX, "cat", "/etc/hosts");
            assertThat(hosts.stdout()).as(mode).startsWith("127.0.0.1\tlocalhost\n").contains("10.1.2.3\tdb\n")
                    .contains(gw + "\tgw\n");
        }

        String web = Names.unique("pall");
        String net = Names.unique("lsf");
        try {
            docker.ok(webArgs("run", "-d", "--name", web, "-P", "--expose", "80", "--expose", "81"));
            List<String> ports = docker.ok("port", web).lines();
            assertThat(ports).hasSize(2).anyMatch(l -> l.startsWith("80/tcp -> 0.0.0.0:"))
                    .anyMatch(l -> l.startsWith("81/tcp -> 0.0.0.0:"));
            int p80 = Integer.parseInt(ports.stream().filter(l -> l.startsWith("80/tcp")).findFirst().orElseThrow()
                    .replaceAll(".*:", ""));
            assertThat(fetch(p80)).isEqualTo("hello\n");

            docker.ok("network", "create", "--label", "team=" + net, net);
            assertThat(docker.ok("network", "ls", "--filter", "label=team=" + net, "--format", "{{.Name}}").lines())
                    .containsExactly(net);
            assertThat(docker.ok("network", "ls", "--filter", "name=" + net, "--format", "{{.Name}}").lines())
                    .containsExactly(net);
            assertThat(docker.ok("network", "ls", "--filter", "driver=bridge", "--format", "{{.Name}}").lines())
                    .contains("bridge", net).doesNotContain("host", "none");
        } finally {
            docker.run("rm", "-f", web);
            docker.run("network", "rm", net);
        }
    }

    @Test
    void macAddress_isTheInterfaces_onTheBridgeAndAUserNetwork(DockerCli docker) {
        String net = Names.unique("mac");
        String c = Names.unique("macc");
        try {
            docker.ok("network", "create", net);
            docker.ok("run", "-d", "--name", c, "--network", net, "--mac-address", "92:D0:C6:0A:29:34", BUSYBOX,
                    "sleep", "60");
            assertThat(docker.ok("exec", c, "cat", "/sys/class/net/eth0/address").out()).isEqualTo("92:d0:c6:0a:29:34");
            assertThat(docker.ok("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + net + "\").MacAddress}}", c)
                    .out()).isEqualTo("92:d0:c6:0a:29:34");
            assertThat(docker.ok("run", "--rm", "--mac-address", "92:d0:c6:0a:29:33", BUSYBOX, "cat",
                    "/sys/class/net/eth0/address").out()).isEqualTo("92:d0:c6:0a:29:33");
            CliResult multicast = docker.run("run", "--rm", "--mac-address", "93:d0:c6:0a:29:33", BUSYBOX, "true");
            assertThat(multicast.exitCode()).isNotZero();
            assertThat(multicast.stderr()).contains("multicast");
        } finally {
            docker.run("rm", "-f", c);
            docker.run("network", "rm", net);
        }
    }

    /** A service scaled to four starts its replicas at once on a network that has no bridge yet. */
    @Test
    void concurrentStartsOnANewNetwork_allSucceed(DockerCli docker) throws Exception {
        String net = Names.unique("scale");
        List<String> names = IntStream.range(0, 4).mapToObj(i -> Names.unique("rep" + i)).toList();
        try {
            docker.ok("network", "create", net);
            List<Future<CliResult>> runs = new ArrayList<>();
            try (var pool = Executors.newFixedThreadPool(names.size())) {
                for (String n : names) {
                    runs.add(pool.submit(() -> docker.run("run", "-d", "--name", n, "--network", net,
                            "--network-alias", "svc", "-p", "80", BUSYBOX, "sleep", "60")));
                }
            }
            Set<String> ips = new HashSet<>();
            for (int i = 0; i < names.size(); i++) {
                CliResult r = runs.get(i).get();
                assertThat(r.exitCode()).as(r.toString()).isZero();
                ips.add(docker.ok("inspect", "-f", "{{.State.Running}} {{(index .NetworkSettings.Networks \"" + net
                        + "\").IPAddress}}", names.get(i)).out());
            }
            assertThat(ips).hasSize(names.size()).allMatch(s -> s.startsWith("true "));
        } finally {
            docker.run(Stream.concat(Stream.of("rm", "-f"), names.stream())
                    .toArray(String[]::new));
            docker.run("network", "rm", net);
        }
    }

    @Test
    void internalNetwork_hasNoRouteOut(DockerCli docker) {
        String net = Names.unique("int");
        try {
            docker.ok("network", "create", "--internal", net);
            // the default bridge's gateway: an address of this daemon's, outside the internal subnet
            String gw = docker.ok("network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", "bridge").out();
            CliResult ping = docker.run("run", "--rm", "--network", net, BUSYBOX, "sh", "-c",
                    "ping -c 1 -W 1 " + gw + "; exit $?");
            assertThat(ping.exitCode()).isNotZero();
            assertThat(docker.ok("run", "--rm", "--network", net, BUSYBOX, "ip", "route").stdout())
                    .doesNotContain("default");
        } finally {
            docker.run("network", "rm", net);
        }
    }

    @Test
    void containerNetworkMode_sharesTheNamespace_andRefusesConflictsAndStoppedTargets(DockerCli docker, Api api) {
        String web = Names.unique("nsweb");
        String joiner = Names.unique("nsjoin");
        String stopped = Names.unique("nsstop");
        try {
            docker.ok("run", "-d", "--name", web, BUSYBOX, "sh", "-c",
                    "echo shared > /tmp/ns.txt; exec httpd -f -p 8081 -h /tmp");
            String webId = docker.ok("inspect", "-f", "{{.Id}}", web).out();
            String webHost = docker.ok("exec", web, "hostname").out();
            String fetch = "timeout 3 wget -qO- http://127.0.0.1:8081/ns.txt; exit $?";
            CliResult got = null;
            for (int i = 0; i < 20; i++) {
                got = docker.run("run", "--rm", "--network", "container:" + web, BUSYBOX, "sh", "-c", fetch);
                if (got.exitCode() == 0) {
                    break;
                }
            }
            assertThat(got.exitCode()).as(got.toString()).isZero();
            assertThat(got.stdout()).contains("shared");

            docker.ok("run", "-d", "--name", joiner, "--network", "container:" + web, BUSYBOX, "sleep", "60");
            assertThat(docker.ok("inspect", "-f", "{{.HostConfig.NetworkMode}}", joiner).out())
                    .isEqualTo("container:" + webId);
            assertThat(docker.ok("inspect", "-f", "{{len .NetworkSettings.Networks}}", joiner).out()).isEqualTo("0");
            assertThat(docker.ok("exec", joiner, "hostname").out()).isEqualTo(webHost);
            assertThat(docker.ok("exec", joiner, "cat", "/etc/hosts").out())
                    .isEqualTo(docker.ok("exec", web, "cat", "/etc/hosts").out());
            assertThat(docker.ok("exec", joiner, "ip", "-4", "addr", "show", "eth0").out())
                    .isEqualTo(docker.ok("exec", web, "ip", "-4", "addr", "show", "eth0").out());

            for (String[] bad : new String[][] {{"--hostname", "h"}, {"-p", "18081:80"}, {"--dns", "127.0.0.1"}}) {
                CliResult r = docker.run(concat(new String[] {"create", "--network", "container:" + web}, bad,
                        new String[] {BUSYBOX, "true"}));
                assertThat(r.exitCode()).as(r.toString()).isNotZero();
                assertThat(r.stderr()).contains("conflicting options");
            }
            // the docker CLI itself refuses --network-alias here; the API answers 400 all the same
            var alias = api.postJson("/containers/create", Map.of("Image", BUSYBOX, "Cmd", java.util.List.of("true"),
                    "HostConfig", Map.of("NetworkMode", "container:" + web), "NetworkingConfig",
                    Map.of("EndpointsConfig", Map.of("container:" + web, Map.of("Aliases", java.util.List.of("a"))))));
            assertThat(alias.status()).as(alias.toString()).isEqualTo(400);
            assertThat(alias.message()).startsWith("conflicting options: ");
            // through the API: the docker CLI takes any 404 from create for a missing image and tries a pull
            var unknown = api.postJson("/containers/create", Map.of("Image", BUSYBOX, "Cmd", java.util.List.of("true"),
                    "HostConfig", Map.of("NetworkMode", "container:nosuch" + web)));
            assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
            assertThat(unknown.message()).isEqualTo("No such container: nosuch" + web);

            docker.ok("create", "--name", stopped, "--network", "container:" + web, BUSYBOX, "true");
            docker.ok("rm", "-f", joiner);
            docker.ok("stop", "-t", "1", web);
            CliResult start = docker.run("start", stopped);
            assertThat(start.exitCode()).isNotZero();
            assertThat(start.stderr()).contains("cannot join network of a non running container: " + webId);
        } finally {
            docker.run("rm", "-f", joiner, stopped, web);
        }
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
