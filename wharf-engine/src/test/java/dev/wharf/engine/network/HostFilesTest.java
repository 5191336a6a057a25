package dev.wharf.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.id.ContainerId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostFilesTest {

    private static NetworkService.StartRequest request(List<String> extraHosts) {
        return new NetworkService.StartRequest(ContainerId.random(), "web", "web", "", List.of(), List.of(), List.of(),
                extraHosts, null, false, Map.of());
    }

    @Test
    void hosts_startsWithDockersLines_thenExtraHosts_thenTheContainer() {
        String hosts = HostFiles.hosts(request(List.of("db:10.0.0.5", "gw:host-gateway", "v6:[2001:db8::1]")),
                "172.18.0.2", "172.18.0.1");
        assertThat(hosts).isEqualTo("""
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                ff00::0\tip6-mcastprefix
                ff02::1\tip6-allnodes
                ff02::2\tip6-allrouters
                10.0.0.5\tdb
                172.18.0.1\tgw
                2001:db8::1\tv6
                172.18.0.2\tweb
                """);
        assertThat(NetworkService.DEFAULT_HOSTS).isEqualTo(hosts.substring(0, hosts.indexOf("10.0.0.5")));
    }

    @Test
    void withoutANetwork_extraHostsAreKept_andOnTheHostsNetworkTheyReplaceTheHostsFile() {
        String hostFile = "127.0.0.1\tlocalhost\n10.0.0.9\tdb\n";
        NetworkService.StartRequest extra = request(List.of("db:10.0.0.5", "gw:host-gateway"));
        String none = HostFiles.hostsWithoutNetwork(extra, false, "", "172.17.0.1");
        assertThat(none).isEqualTo(HostFiles.DEFAULT_HOSTS + "10.0.0.5\tdb\n172.17.0.1\tgw\n127.0.0.1\tweb\n");

        assertThat(HostFiles.hostsWithoutNetwork(request(List.of()), true, hostFile, "172.17.0.1")).isEqualTo(hostFile);
        assertThat(HostFiles.hostsWithoutNetwork(extra, true, hostFile, "172.17.0.1"))
                .isEqualTo(HostFiles.DEFAULT_HOSTS + "10.0.0.5\tdb\n172.17.0.1\tgw\n");
    }

    @Test
    void theContainersLine_namesItsFullNameAndItsFirstLabel() {
        assertThat(HostFiles.ownNames("web", "")).isEqualTo("web");
        assertThat(HostFiles.ownNames("web", null)).isEqualTo("web");
        assertThat(HostFiles.ownNames("web", "example.com")).isEqualTo("web.example.com web");
        assertThat(HostFiles.ownNames("api.internal", "")).isEqualTo("api.internal api");
    }

    @Test
    void extraHost_withoutAnAddress_isRefused() {
        assertThatThrownBy(() -> HostFiles.extraHost("db")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid IP address in add-host: \"db\"");
        assertThatThrownBy(() -> HostFiles.extraHost("db:")).isInstanceOf(InvalidArgumentException.class);
    }
}
