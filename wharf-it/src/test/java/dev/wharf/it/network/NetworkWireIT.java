package dev.wharf.it.network;

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

/** Network create and connect settings as docker-py's suite sends them: kept, shown, and applied. */
@WharfIT
class NetworkWireIT {

    private static JsonNode config(JsonNode inspect, String family) {
        for (JsonNode c : inspect.path("IPAM").path("Config")) {
            if (c.path("Subnet").asText().contains(":") == family.equals("v6")) {
                return c;
            }
        }
        throw new AssertionError("no " + family + " config in " + inspect);
    }

    @Test
    void ipamRangesAuxiliaryAddressesOptionsAndANameWithSpaces_areKeptAndApplied(Api api, DockerCli docker) {
        String name = "wire net " + Names.unique("sp");
        String c = Names.unique("nwc");
        Api.Response created = api.postJson("/networks/create", Map.of("Name", name, "EnableIPv6", true,
                "Options", Map.of("com.docker.network.driver.mtu", "1400"),
                "IPAM", Map.of("Config", List.of(
                        Map.of("Subnet", "10.231.7.0/24", "AuxiliaryAddresses", Map.of("router", "10.231.7.2")),
                        Map.of("Subnet", "fd00:dead:beef::/64", "IPRange", "fd00:dead:beef::100/120",
                                "AuxiliaryAddresses", Map.of("router6", "fd00:dead:beef::100"))))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().path("Id").asText();
        try {
            JsonNode n = api.get("/networks/" + id).json();
            assertThat(n.path("Name").asText()).isEqualTo(name);
            assertThat(n.path("Options").path("com.docker.network.driver.mtu").asText()).isEqualTo("1400");
            assertThat(config(n, "v4").path("AuxiliaryAddresses").path("router").asText()).isEqualTo("10.231.7.2");
            assertThat(config(n, "v6").path("IPRange").asText()).isEqualTo("fd00:dead:beef::100/120");
            assertThat(config(n, "v6").path("AuxiliaryAddresses").path("router6").asText())
                    .isEqualTo("fd00:dead:beef::100");

            docker.ok("run", "-d", "--name", c, "--network", name, BUSYBOX, "sleep", "60");
            JsonNode ep = api.get("/containers/" + c + "/json").json().path("NetworkSettings").path("Networks")
                    .path(name);
            assertThat(ep.path("IPAddress").asText()).as("the auxiliary address is not leased").isEqualTo("10.231.7.3");
            assertThat(ep.path("GlobalIPv6Address").asText()).as("inside the IPv6 range, past its aux address")
                    .isEqualTo("fd00:dead:beef::101");
            assertThat(docker.ok("exec", c, "cat", "/sys/class/net/eth0/mtu").out()).isEqualTo("1400");
        } finally {
            docker.run("rm", "-f", c);
            api.delete("/networks/" + id);
        }
    }

    @Test
    void anIpv6SubnetWithoutEnableIpv6_isAcceptedAndLeftUnused(Api api, DockerCli docker) {
        String name = Names.unique("nwv6off");
        String c = Names.unique("nwv6offc");
        Api.Response created = api.postJson("/networks/create", Map.of("Name", name,
                "IPAM", Map.of("Config", List.of(Map.of("Subnet", "fd00:abcd:1::/64")))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        try {
            JsonNode n = api.get("/networks/" + name).json();
            assertThat(n.path("EnableIPv6").asBoolean()).isFalse();
            assertThat(config(n, "v6").path("Subnet").asText()).isEqualTo("fd00:abcd:1::/64");
            docker.ok("run", "-d", "--name", c, "--network", name, BUSYBOX, "sleep", "60");
            JsonNode ep = api.get("/containers/" + c + "/json").json().path("NetworkSettings").path("Networks")
                    .path(name);
            assertThat(ep.path("IPAddress").asText()).isNotEmpty();
            assertThat(ep.path("GlobalIPv6Address").asText()).isEmpty();
        } finally {
            docker.run("rm", "-f", c);
            docker.run("network", "rm", name);
        }
    }

    @Test
    void connect_keepsDriverOptsAndLinkLocalIps(Api api, DockerCli docker) {
        String name = Names.unique("nwll");
        String c = Names.unique("nwllc");
        try {
            docker.ok("network", "create", name);
            docker.ok("create", "--name", c, BUSYBOX, "true");
            Api.Response r = api.postJson("/networks/" + name + "/connect", Map.of("Container", c,
                    "EndpointConfig", Map.of("DriverOpts", Map.of("com.example.opt", "1"),
                            "IPAMConfig", Map.of("LinkLocalIPs", List.of("169.254.8.8")))));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode ep = api.get("/containers/" + c + "/json").json().path("NetworkSettings").path("Networks")
                    .path(name);
            assertThat(ep.path("DriverOpts").path("com.example.opt").asText()).isEqualTo("1");
            assertThat(ep.path("IPAMConfig").path("LinkLocalIPs").toString()).isEqualTo("[\"169.254.8.8\"]");
        } finally {
            docker.run("rm", "-f", c);
            docker.run("network", "rm", name);
        }
    }

    @Test
    void startAndStop_emitNetworkConnectAndDisconnect_attachEmitsAttach(Api api, DockerCli docker) {
        String name = Names.unique("nwev");
        String c = Names.unique("nwevc");
        long since = System.currentTimeMillis() / 1000 - 1;
        try {
            docker.ok("network", "create", name);
            String id = docker.ok("run", "--name", c, "--network", name, BUSYBOX, "true").out();
            String cid = id.isEmpty() ? docker.ok("inspect", "-f", "{{.Id}}", c).out() : id;
            long until = System.currentTimeMillis() / 1000 + 1;
            List<String> net = docker.ok("events", "--since", String.valueOf(since), "--until", String.valueOf(until),
                    "--filter", "type=network", "--filter", "network=" + name,
                    "--format", "{{.Action}} {{index .Actor.Attributes \"container\"}} {{index .Actor.Attributes \"name\"}}")
                    .lines();
            assertThat(net).containsSubsequence("connect " + cid + " " + name, "disconnect " + cid + " " + name);
            List<String> ctr = docker.ok("events", "--since", String.valueOf(since), "--until", String.valueOf(until),
                    "--filter", "container=" + c, "--format", "{{.Action}}").lines();
            assertThat(ctr).as("docker run attaches before it starts").containsSubsequence("create", "attach", "start", "die");
        } finally {
            docker.run("rm", "-f", c);
            docker.run("network", "rm", name);
        }
    }
}
