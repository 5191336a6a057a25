package dev.wharf.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.ForbiddenException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.base.time.FakeClock;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.event.EventService;
import dev.wharf.runtime.network.FakeNetworkDriver;
import dev.wharf.store.db.Database;
import dev.wharf.store.table.EventTable;
import dev.wharf.store.table.NetworkTable;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network service over the fake driver and a real database: the catalogue, subnet choice,
 * leases, published ports and sandboxes, as the API shows them. No root.
 */
class NetworkServiceTest {

    private static final ContainerId C1 = new ContainerId("c1" + "0".repeat(62));
    private static final ContainerId C2 = new ContainerId("c2" + "0".repeat(62));

    @TempDir
    Path dir;
    private final FakeNetworkDriver driver = new FakeNetworkDriver();
    private Database db;
    private NetworkService networks;

    @BeforeEach
    void setUp() throws Exception {
        db = new Database(dir.resolve("wharf.db"));
        driver.hostUses("172.17.0.0/16");
        networks = TestNetworks.create(new NetworkTable(db), new EventService(new EventTable(db)), driver, dir,
                new FakeClock());
    }

    @AfterEach
    void tearDown() {
        networks.close();
        db.close();
    }

    private static NetworkService.CreateRequest named(String name) {
        return new NetworkService.CreateRequest(name, null, false, false, false, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    @SuppressWarnings("unchecked")
    private String subnet(String network) {
        Map<String, Object> ipam = (Map<String, Object>) networks.inspect(network).get("IPAM");
        return (String) ((List<Map<String, Object>>) ipam.get("Config")).getFirst().get("Subnet");
    }

    private NetworkService.StartRequest start(ContainerId id, String name, Object portBindings) {
        return new NetworkService.StartRequest(id, name, name, "", List.of(), List.of(), List.of(), List.of(),
                PortBinding.decode(portBindings), false, Map.of());
    }

    @Test
    void builtins_exist_andTheDefaultBridgeAvoidsASubnetTheHostUses() {
        assertThat(networks.list(Filters.NONE)).extracting(n -> n.get("Name"))
                .containsExactly("bridge", "host", "none");
        assertThat(subnet("bridge")).isEqualTo("172.18.0.0/16");
        assertThatThrownBy(() -> networks.remove("bridge")).isInstanceOf(ForbiddenException.class)
                .hasMessage("bridge is a pre-defined network and cannot be removed");
    }

    @Test
    void create_takesTheNextFreeSubnetOfThePool_andRefusesWhatDockerRefuses() {
        driver.hostUses("10.200.1.0/24");
        networks.create(named("a"));
        networks.create(named("b"));
        assertThat(subnet("a")).isEqualTo("10.200.0.0/24");
        assertThat(subnet("b")).as("10.200.1.0/24 is the host's").isEqualTo("10.200.2.0/24");
        assertThatThrownBy(() -> networks.create(named("a"))).isInstanceOf(ConflictException.class)
                .hasMessage("network with name a already exists");
        assertThatThrownBy(() -> networks.create(named(""))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> networks.inspect("nosuch")).isInstanceOf(NotFoundException.class);
        assertThat(driver.isolated()).hasSize(3); // the default bridge and the two new ones
    }

    @Test
    void leases_giveAddressesInOrder_andANetworkInUseCannotBeRemoved() {
        networks.create(named("app"));
        networks.attach(C1, "one", "app", null);
        networks.attach(C2, "two", "app", null);
        assertThat(networks.addressOn("app", C1)).isEqualTo("10.200.0.2");
        assertThat(networks.addressOn("app", C2)).isEqualTo("10.200.0.3");
        assertThat(networks.hasEndpoints(C1)).isTrue();
        assertThatThrownBy(() -> networks.remove("app")).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("has active endpoints");
        assertThat(networks.prune(Filters.NONE)).isEmpty();

        networks.release(C1);
        networks.release(C2);
        assertThat(networks.addressOn("app", C1)).isNull();
        assertThat(networks.prune(Filters.NONE)).containsExactly("app");
        assertThat(networks.list(Filters.NONE)).extracting(n -> n.get("Name")).doesNotContain("app");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anIpv6Address_inTheUnusedIpv6SubnetOfANetworkWithoutIpv6_isKeptInItsConfigOnly() throws Exception {
        // docker-py 7.1's test_create_with_ipv6_address: an IPv6 pool, no EnableIPv6 (Docker 25-28 accept it)
        networks.create(new NetworkService.CreateRequest("v6off", null, false, false, false, null, null, null, null,
                null, null, "2001:389::/64", null, null, null, null));
        EndpointSettings inPool = new EndpointSettings(null, "2001:389::f00d", null, List.of(), false, null, null,
                List.of());
        networks.validate("v6off", Map.of("v6off", inPool), Map.of(), List.of());
        networks.attach(C1, "one", "v6off", Map.of("v6off", inPool));

        networks.setUp(start(C1, "one", null));
        assertThat(driver.setUps().getFirst().config().networks().get("v6off").staticIps())
                .as("no interface gets it").containsExactly(networks.addressOn("v6off", C1));
        Map<String, Object> ep = (Map<String, Object>) ((Map<String, Object>) networks.settings(C1, "v6off", true,
                null).get("Networks")).get("v6off");
        assertThat((Map<String, Object>) ep.get("IPAMConfig")).containsEntry("IPv6Address", "2001:389::f00d");
        assertThat(ep.get("GlobalIPv6Address")).isEqualTo("");

        EndpointSettings outside = new EndpointSettings(null, "2001:db8::1", null, List.of(), false, null, null,
                List.of());
        assertThatThrownBy(() -> networks.validate("v6off", Map.of("v6off", outside), Map.of(), List.of()))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("invalid config for network v6off: "
                        + "invalid endpoint settings:\nno configured subnet contains IP address 2001:db8::1");
        assertThatThrownBy(() -> networks.attach(C2, "two", "v6off", Map.of("v6off", outside)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("no configured subnet contains IP address 2001:db8::1");
    }

    @Test
    void rename_ofARunningContainer_renamesItsDnsEntries_andItsNextSetUpUsesTheNewName() {
        networks.create(named("app"));
        networks.attach(C1, "one", "app", null);
        networks.setUp(start(C1, "one", null));
        String shortId = C1.shortId();

        networks.rename(C1, "uno", true);
        assertThat(driver.renamedDns(C1.value())).containsExactly(Map.entry("app",
                List.of("uno", shortId, "uno.app", shortId + ".app")));
        networks.rename(C2, "nobody", true); // no endpoints: nothing to rename
        assertThat(driver.renamedDns(C2.value())).isEmpty();

        networks.tearDown(C1, "uno");
        networks.rename(C1, "eins", false);
        assertThat(driver.renamedDns(C1.value()).get("app")).as("stopped: DNS untouched").startsWith("uno");
        networks.setUp(start(C1, "eins", null));
        assertThat(driver.setUps().getLast().config().networks().get("app").aliases())
                .containsExactly(shortId, "eins.app", shortId + ".app");
    }

    @Test
    void connect_twice_isRefused_andDisconnectOfAStrangerToo() {
        networks.create(named("app"));
        networks.attach(C1, "one", "bridge", null);
        networks.connect("app", C1, "one", "bridge", EndpointSettings.NONE, false);
        assertThat(networks.addressOn("app", C1)).isEqualTo("10.200.0.2");
        assertThatThrownBy(() -> networks.connect("app", C1, "one", "bridge", EndpointSettings.NONE, false))
                .isInstanceOf(ForbiddenException.class)
                .hasMessage("endpoint with name one already exists in network app");
        networks.disconnect("app", C1, "one", false);
        assertThatThrownBy(() -> networks.disconnect("app", C1, "one", false))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("is not connected to network app");
    }

    @Test
    @SuppressWarnings("unchecked")
    void setUp_publishesPorts_aTakenHostPortIsA409_andTearDownGivesItBack() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, Object> bindings = Map.of("80/tcp", List.of(Map.of("HostIp", "127.0.0.1",
                "HostPort", String.valueOf(port))));
        networks.attach(C1, "one", "bridge", null);
        networks.attach(C2, "two", "bridge", null);

        NetworkService.Sandbox sb = networks.setUp(start(C1, "one", bindings));
        assertThat(sb.netns()).isEqualTo(networks.netnsPath(C1));
        assertThat(sb.hosts()).endsWith("172.18.0.2\tone\n");
        assertThat(driver.setUps()).hasSize(1);
        assertThat(networks.listedPorts(C1, true, Map.of("80/tcp", Map.of(), "81/udp", Map.of())))
                .containsExactly(new ListedPort("127.0.0.1", 80, port, "tcp"), new ListedPort("", 81, 0, "udp"));
        assertThat(NetworkService.summaryPorts(networks.listedPorts(C1, true, null))).singleElement()
                .satisfies(p -> assertThat((Map<String, Object>) p).containsEntry("PublicPort", port)
                        .containsEntry("PrivatePort", 80).containsEntry("IP", "127.0.0.1"));
        assertThat(NetworkService.summaryPorts(List.of(new ListedPort("", 81, 0, "udp"))))
                .containsExactly(Map.of("PrivatePort", 81, "Type", "udp"));
        assertThat(networks.networkIds(C1, "bridge")).containsOnlyKeys("bridge");
        assertThatThrownBy(() -> networks.setUp(start(C2, "two", bindings))).isInstanceOf(ConflictException.class)
                .hasMessageMatching("driver failed programming external connectivity on endpoint two \\([0-9a-f]{64}\\): "
                        + "Bind for 127\\.0\\.0\\.1:" + port + " failed: port is already allocated");

        networks.tearDown(C1, "one");
        assertThat(driver.tearDowns()).hasSize(1);
        assertThat(networks.setUp(start(C2, "two", bindings))).isNotNull();
    }
}
