package dev.wharf.engine.network;

import dev.wharf.base.id.ContainerId;
import dev.wharf.runtime.network.NetavarkConfig;
import dev.wharf.store.table.NetworkTable.PortRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/** What netavark is told for a container's set-up and tear-down: its networks, addresses, ports and DNS. */
final class NetavarkConfigs {

    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");

    private NetavarkConfigs() {
    }

    /** The config of these endpoints; {@code networks} looks up each endpoint's network. */
    static NetavarkConfig of(ContainerId containerId, String containerName, List<Endpoint> eps, List<PortRow> ports,
            List<String> dns, Function<String, NetworkRecord> networks) {
        Map<String, NetavarkConfig.PerNetwork> per = new LinkedHashMap<>();
        Map<String, NetavarkConfig.Network> info = new LinkedHashMap<>();
        for (Endpoint e : eps) {
            NetworkRecord n = networks.apply(e.networkId());
            boolean dnsOn = n.dns() && !n.name().equals(NetworkCatalogue.BRIDGE);
            per.put(name(n), new NetavarkConfig.PerNetwork(e.rec().iface(),
                    e.rec().ip6() == null || !n.ipv6() ? List.of(e.ip()) : List.of(e.ip(), e.rec().ip6()),
                    dnsOn ? dnsNames(containerName, e.rec().dnsNames(), n.name()) : null,
                    e.rec().mac()));
            Map<String, String> o = new LinkedHashMap<>(); // isolation is Wharf's own (Isolation)
            String mtu = n.options().get("com.docker.network.driver.mtu");
            if (mtu != null && !mtu.equals("1500")) {
                o.put("mtu", mtu);
            }
            List<NetavarkConfig.Subnet> subnets = new ArrayList<>();
            subnets.add(new NetavarkConfig.Subnet(n.subnet(), n.gateway()));
            if (n.ipv6()) {
                subnets.add(new NetavarkConfig.Subnet(n.subnet6(), n.gateway6()));
            }
            info.put(name(n), new NetavarkConfig.Network(name(n), n.id(), "bridge", n.bridge(), subnets, n.ipv6(),
                    n.internal(), dnsOn, o, Map.of("driver", "host-local")));
        }
        List<NetavarkConfig.PortMapping> pm = new ArrayList<>();
        for (PortRow p : ports) {
            pm.add(new NetavarkConfig.PortMapping(p.hostIp(), p.containerPort(), p.hostPort(), 1, p.proto()));
        }
        return new NetavarkConfig(containerId.value(), containerName, per, info, pm.isEmpty() ? null : pm,
                dns == null || dns.isEmpty() ? null : dns);
    }

    /**
     * The names aardvark-dns answers for the endpoint besides the container's name (netavark adds
     * that): its aliases and short ID, and, as Docker's resolver does, each name qualified by the
     * network's ({@code db.backend} finds {@code db} on network {@code backend} only).
     */
    static List<String> dnsNames(String containerName, List<String> names, String network) {
        List<String> out = new ArrayList<>();
        for (String a : names) {
            if (!a.equals(containerName)) {
                out.add(a);
            }
        }
        if (!names.contains(containerName)) {
            out.add(containerName + "." + network);
        }
        for (String a : names) {
            out.add(a + "." + network);
        }
        return out;
    }

    /** The network's name for netavark and aardvark-dns (a file name there): Docker allows any name. */
    static String name(NetworkRecord n) {
        return NAME.matcher(n.name()).matches() ? n.name() : "wharf-" + n.id().substring(0, 12);
    }
}
