package dev.wharf.engine.network;

import dev.wharf.base.id.ContainerId;
import dev.wharf.store.table.NetworkTable.PortRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Networks and a container's networking as the API shows them: network inspect and list, and a
 * container's {@code NetworkSettings} and {@code Ports} for inspect and list.
 */
final class NetworkViews {

    private final NetworkCatalogue catalogue;
    private final EndpointLeases leases;
    private final PublishedPorts ports;
    private final Function<ContainerId, Path> netnsPath;

    NetworkViews(NetworkCatalogue catalogue, EndpointLeases leases, PublishedPorts ports,
            Function<ContainerId, Path> netnsPath) {
        this.catalogue = catalogue;
        this.leases = leases;
        this.ports = ports;
        this.netnsPath = netnsPath;
    }

    /** {@code NetworkSettings} of container inspect. */
    Map<String, Object> settings(ContainerId containerId, String networkMode, boolean running,
            Map<String, Object> exposedPorts) {
        List<Endpoint> eps = leases.of(containerId);
        Map<String, Object> ns = new LinkedHashMap<>();
        ns.put("Bridge", "");
        ns.put("SandboxID", running && !eps.isEmpty() ? containerId.value() : "");
        ns.put("SandboxKey", running && !eps.isEmpty() ? netnsPath.apply(containerId).toString() : "");
        ns.put("Ports", running || exposedPorts != null ? ports(containerId, running, exposedPorts) : Map.of());
        ns.put("HairpinMode", false);
        ns.put("LinkLocalIPv6Address", "");
        ns.put("LinkLocalIPv6PrefixLen", 0);
        ns.put("SecondaryIPAddresses", null);
        ns.put("SecondaryIPv6Addresses", null);
        // The top-level fields are the default bridge's, once the container is up on it.
        Endpoint top = null;
        for (Endpoint e : eps) {
            if (running && catalogue.get(e.networkId()).name().equals(NetworkCatalogue.BRIDGE)) {
                top = e;
            }
        }
        NetworkRecord bridge = top == null ? null : catalogue.get(top.networkId());
        ns.put("EndpointID", top == null ? "" : top.rec().endpointId());
        ns.put("Gateway", top == null ? "" : bridge.gateway());
        ns.put("GlobalIPv6Address", "");
        ns.put("GlobalIPv6PrefixLen", 0);
        ns.put("IPAddress", top == null ? "" : top.ip());
        ns.put("IPPrefixLen", top == null ? 0 : Subnet.parse(bridge.subnet()).prefix());
        ns.put("IPv6Gateway", "");
        ns.put("MacAddress", top == null ? "" : top.rec().mac());
        ns.put("Networks", networks(eps, networkMode, running));
        return ns;
    }

    /** {@code NetworkSettings} of container list: the networks only. */
    Map<String, Object> summarySettings(ContainerId containerId, String networkMode, boolean running) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Networks", networks(leases.of(containerId), networkMode, running));
        return out;
    }

    /** {@code Networks}: an entry per endpoint, or the network the mode names before the first start. */
    private Map<String, Object> networks(List<Endpoint> eps, String networkMode, boolean running) {
        Map<String, Object> networks = new LinkedHashMap<>();
        for (Endpoint e : eps) {
            NetworkRecord n = catalogue.get(e.networkId());
            networks.put(n.name(), endpointView(n, e, running));
        }
        if (eps.isEmpty()) {
            String mode = EndpointLeases.mode(networkMode);
            NetworkRecord n = mode.startsWith("container:") ? null : catalogue.findOrNull(mode);
            if (n != null) {
                networks.put(n.name(), endpointView(n, null, running));
            }
        }
        return networks;
    }

    /** The ports of container list: published ones with their host side, exposed ones without. */
    List<ListedPort> listedPorts(ContainerId containerId, boolean running, Map<String, Object> exposedPorts) {
        List<ListedPort> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (running) {
            for (PortRow p : ports.all()) {
                if (p.containerId().equals(containerId.value())) {
                    out.add(new ListedPort(p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(), p.containerPort(),
                            p.hostPort(), p.proto()));
                    seen.add(p.containerPort() + "/" + p.proto());
                }
            }
        }
        if (exposedPorts != null) {
            for (String k : exposedPorts.keySet()) {
                String[] pp = PortAllocator.portProto(k);
                if (seen.add(pp[0] + "/" + pp[1])) {
                    out.add(new ListedPort("", Integer.parseInt(pp[0]), 0, pp[1]));
                }
            }
        }
        return out;
    }

    /** {@code Ports} of container list, as JSON: an exposed port has no IP and no PublicPort. */
    static List<Object> summaryPorts(List<ListedPort> listed) {
        List<Object> out = new ArrayList<>(listed.size());
        for (ListedPort p : listed) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (p.published()) {
                m.put("IP", p.ip());
            }
            m.put("PrivatePort", p.privatePort());
            if (p.published()) {
                m.put("PublicPort", p.publicPort());
            }
            m.put("Type", p.type());
            out.add(m);
        }
        return out;
    }

    /** The names and IDs of the networks container list shows for a container (its network filter). */
    Map<String, String> networkIds(ContainerId containerId, String networkMode) {
        Map<String, String> out = new LinkedHashMap<>();
        List<Endpoint> eps = leases.of(containerId);
        for (Endpoint e : eps) {
            NetworkRecord n = catalogue.get(e.networkId());
            out.put(n.name(), n.id());
        }
        if (eps.isEmpty()) {
            String mode = EndpointLeases.mode(networkMode);
            NetworkRecord n = mode.startsWith("container:") ? null : catalogue.findOrNull(mode);
            if (n != null) {
                out.put(n.name(), n.id());
            }
        }
        return out;
    }

    /** Whether the container is on the named network (for the container list's network filter). */
    boolean onNetwork(ContainerId containerId, String networkMode, String idOrName) {
        for (Endpoint e : leases.of(containerId)) {
            NetworkRecord n = catalogue.get(e.networkId());
            if (n.name().equals(idOrName) || n.id().startsWith(idOrName)) {
                return true;
            }
        }
        return EndpointLeases.mode(networkMode).equals(idOrName);
    }

    private Map<String, Object> ports(ContainerId containerId, boolean running, Map<String, Object> exposedPorts) {
        Map<String, Object> out = new TreeMap<>();
        if (exposedPorts != null) {
            for (String k : exposedPorts.keySet()) {
                String[] pp = PortAllocator.portProto(k);
                out.put(pp[0] + "/" + pp[1], null);
            }
        }
        if (running) {
            for (PortRow p : ports.all()) {
                if (p.containerId().equals(containerId.value())) {
                    @SuppressWarnings("unchecked")
                    List<Object> l = (List<Object>) out.get(p.containerPort() + "/" + p.proto());
                    if (l == null) {
                        l = new ArrayList<>();
                        out.put(p.containerPort() + "/" + p.proto(), l);
                    }
                    l.add(Map.of("HostIp", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(),
                            "HostPort", String.valueOf(p.hostPort())));
                }
            }
        }
        return out;
    }

    private static Map<String, Object> endpointView(NetworkRecord n, Endpoint e, boolean running) {
        boolean up = running && e != null;
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, Object> ipamConfig = new LinkedHashMap<>();
        if (e != null && e.rec().staticIp()) {
            ipamConfig.put("IPv4Address", e.ip());
        }
        if (e != null && e.rec().staticIp6()) {
            ipamConfig.put("IPv6Address", e.rec().ip6());
        }
        if (e != null && e.rec().linkLocalIps() != null && !e.rec().linkLocalIps().isEmpty()) {
            ipamConfig.put("LinkLocalIPs", e.rec().linkLocalIps());
        }
        v.put("IPAMConfig", ipamConfig.isEmpty() ? null : ipamConfig);
        v.put("Links", e == null || e.rec().links().isEmpty() ? null : e.rec().links());
        v.put("Aliases", e == null || e.rec().aliases().isEmpty() ? null : e.rec().aliases());
        // the address in use while running; before (and between) runs only one the user asked for
        v.put("MacAddress", up || (e != null && e.rec().staticMac()) ? e.rec().mac() : "");
        v.put("DriverOpts", e == null || e.rec().driverOpts() == null || e.rec().driverOpts().isEmpty() ? null
                : e.rec().driverOpts());
        v.put("NetworkID", n.id());
        v.put("EndpointID", up ? e.rec().endpointId() : "");
        v.put("Gateway", up ? n.gateway() : "");
        v.put("IPAddress", up ? e.ip() : "");
        v.put("IPPrefixLen", up ? Subnet.parse(n.subnet()).prefix() : 0);
        boolean v6 = up && e.rec().ip6() != null && n.ipv6();
        v.put("IPv6Gateway", v6 ? n.gateway6() : "");
        v.put("GlobalIPv6Address", v6 ? e.rec().ip6() : "");
        v.put("GlobalIPv6PrefixLen", v6 ? Subnet6.parse(n.subnet6()).prefix() : 0);
        v.put("DNSNames", e == null || n.name().equals(NetworkCatalogue.BRIDGE) ? null : e.rec().dnsNames());
        return v;
    }

    /** A network as inspect ({@code detailed}: with its containers) and list show it. */
    Map<String, Object> network(NetworkRecord n, boolean detailed) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("Name", n.name());
        v.put("Id", n.id());
        v.put("Created", n.created());
        v.put("Scope", "local");
        v.put("Driver", n.driver());
        v.put("EnableIPv6", n.ipv6());
        List<Object> cfg = new ArrayList<>();
        if (n.subnet() != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Subnet", n.subnet());
            if (n.ipRange() != null) {
                c.put("IPRange", n.ipRange());
            }
            c.put("Gateway", n.gateway());
            if (!n.extra().aux().isEmpty()) {
                c.put("AuxiliaryAddresses", n.extra().aux());
            }
            cfg.add(c);
        }
        if (n.ipv6() || n.extra().unusedSubnet6() != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Subnet", n.ipv6() ? n.subnet6() : n.extra().unusedSubnet6());
            if (n.extra().ipRange6() != null) {
                c.put("IPRange", n.extra().ipRange6());
            }
            String gw6 = n.ipv6() ? n.gateway6() : n.extra().unusedGateway6();
            if (gw6 != null) {
                c.put("Gateway", gw6);
            }
            if (!n.extra().aux6().isEmpty()) {
                c.put("AuxiliaryAddresses", n.extra().aux6());
            }
            cfg.add(c);
        }
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("Driver", "default");
        ipam.put("Options", n.ipamOptions());
        ipam.put("Config", cfg);
        v.put("IPAM", ipam);
        v.put("Internal", n.internal());
        v.put("Attachable", n.attachable());
        v.put("Ingress", false);
        v.put("ConfigFrom", Map.of("Network", ""));
        v.put("ConfigOnly", false);
        Map<String, Object> cs = new LinkedHashMap<>();
        if (detailed) {
            for (Endpoint e : leases.onNetwork(n.id())) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("Name", e.rec().containerName());
                c.put("EndpointID", e.rec().endpointId());
                c.put("MacAddress", e.rec().mac());
                c.put("IPv4Address", e.ip() + "/" + Subnet.parse(n.subnet()).prefix());
                c.put("IPv6Address", e.rec().ip6() == null || !n.ipv6() ? ""
                        : e.rec().ip6() + "/" + Subnet6.parse(n.subnet6()).prefix());
                cs.put(e.containerId().value(), c);
            }
        }
        v.put("Containers", cs);
        v.put("Options", n.options());
        v.put("Labels", n.labels());
        return v;
    }
}
