package dev.wharf.engine.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.ForbiddenException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.model.Json;
import dev.wharf.store.table.NetworkTable;
import dev.wharf.store.table.NetworkTable.EndpointRow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Each container's leases on its networks: an IPv4 address (and an IPv6 one on an IPv6 network),
 * a MAC address, an interface name, its aliases and DNS names; taken at create or connect,
 * released at remove or disconnect, kept in the {@code endpoints} table. Changes hold this
 * object's monitor; reads take a snapshot without it. Lock order: this, then the catalogue's.
 */
final class EndpointLeases {

    private final NetworkTable table;
    private final NetworkCatalogue catalogue;
    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();

    EndpointLeases(NetworkTable table, NetworkCatalogue catalogue) {
        this.table = table;
        this.catalogue = catalogue;
    }

    void load() throws IOException {
        for (EndpointRow e : table.endpoints()) {
            endpoints.add(new Endpoint(e.networkId(), new ContainerId(e.containerId()), e.ip(),
                    Json.mapper().readValue(e.config(), EndpointRecord.class)));
        }
    }

    /**
     * Checks a create request's network mode and endpoint settings without leasing anything; 400
     * for an unknown network (not 404: the docker CLI takes a 404 from create for a missing image
     * and tries a pull) or bad settings.
     */
    void validate(String networkMode, Map<String, EndpointSettings> endpointsConfig) {
        String mode = mode(networkMode);
        if (mode.startsWith("container:")) {
            return;
        }
        NetworkRecord primary = catalogue.findOrNull(mode);
        if (primary == null) {
            throw new InvalidArgumentException("network " + mode + " not found");
        }
        if (!primary.bridged() && endpointsConfig != null && endpointsConfig.size() > 1) {
            throw new InvalidArgumentException("container sharing network namespace with another container or host "
                    + "cannot be connected to any other network");
        }
        if (endpointsConfig != null) {
            for (var e : endpointsConfig.entrySet()) {
                NetworkRecord n = catalogue.findOrNull(e.getKey());
                if (n == null) {
                    throw new InvalidArgumentException("network " + e.getKey() + " not found");
                }
                String ip = e.getValue().ipv4();
                if (ip != null && !ip.isEmpty()) {
                    if (n.name().equals(NetworkCatalogue.BRIDGE)) {
                        throw new InvalidArgumentException(
                                "user specified IP address is supported on user defined networks only");
                    }
                    Subnet.ip(ip);
                }
                String ip6 = e.getValue().ipv6();
                if (ip6 != null && !n.ipv6() && !inUnusedSubnet6(n, ip6)) {
                    throw new InvalidArgumentException("invalid config for network " + e.getKey() + ": "
                            + noIpv6Subnet(Subnet6.canonical(ip6)));
                }
                checkedMac(e.getValue()); // a bad --mac-address is a 400 before anything is made
            }
        }
    }

    /** Leases addresses on the container's networks at create; undone by {@link #release}. */
    synchronized void attach(ContainerId containerId, String containerName, String networkMode,
            Map<String, EndpointSettings> endpointsConfig) {
        String mode = mode(networkMode);
        if (mode.startsWith("container:")) {
            return;
        }
        NetworkRecord primary = catalogue.find(mode);
        if (!primary.bridged()) {
            return;
        }
        try {
            Map<String, EndpointSettings> cfgs = endpointsConfig == null ? Map.of() : endpointsConfig;
            EndpointSettings primaryCfg = EndpointSettings.NONE;
            for (var e : cfgs.entrySet()) {
                if (catalogue.find(e.getKey()).id().equals(primary.id())) {
                    primaryCfg = e.getValue();
                }
            }
            lease(primary, containerId, containerName, primaryCfg);
            for (var e : cfgs.entrySet()) {
                NetworkRecord n = catalogue.find(e.getKey());
                if (!n.id().equals(primary.id()) && n.bridged()) {
                    lease(n, containerId, containerName, e.getValue());
                }
            }
        } catch (RuntimeException e) {
            release(containerId);
            throw e;
        }
    }

    /**
     * {@code connect}'s lease: 403 when the network or the container's mode cannot take one, or
     * when the container is on the network already.
     */
    synchronized Endpoint connect(NetworkRecord n, ContainerId containerId, String containerName, String networkMode,
            EndpointSettings cfg) {
        String mode = mode(networkMode);
        if (!n.bridged()) {
            throw new ForbiddenException("container cannot be disconnected from host network or connected to "
                    + "host network");
        }
        if (mode.startsWith("container:") || !catalogue.find(mode).bridged()) {
            throw new ForbiddenException("container sharing network namespace with another container or host "
                    + "cannot be connected to any other network");
        }
        if (endpointOf(n.id(), containerId) != null) {
            throw new ForbiddenException("endpoint with name " + containerName + " already exists in network "
                    + n.name());
        }
        return lease(n, containerId, containerName, cfg);
    }

    /** Releases every lease of a removed container. */
    synchronized void release(ContainerId containerId) {
        for (Endpoint e : List.copyOf(endpoints)) {
            if (e.containerId().equals(containerId)) {
                release(e);
            }
        }
    }

    /** Releases one lease. */
    synchronized void release(Endpoint e) {
        table.release(e.networkId(), e.containerId().value());
        endpoints.remove(e);
    }

    /** The container's leases under its new name (stored, and in memory). */
    synchronized void rename(ContainerId containerId, String to) {
        for (Endpoint e : List.copyOf(endpoints)) {
            if (e.containerId().equals(containerId)) {
                Endpoint r = new Endpoint(e.networkId(), containerId, e.ip(), e.rec().renamed(to));
                try {
                    table.updateEndpoint(e.networkId(), containerId.value(), Json.mapper().writeValueAsString(r.rec()));
                } catch (JsonProcessingException x) {
                    throw new InternalException("cannot store the endpoint of " + containerId + ": " + x.getMessage());
                }
                endpoints.set(endpoints.indexOf(e), r);
            }
        }
    }

    /** The container's leases, by interface name. */
    List<Endpoint> of(ContainerId containerId) {
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : endpoints) {
            if (e.containerId().equals(containerId)) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(e -> e.rec().iface()));
        return out;
    }

    /** The container's lease on the network, or null. */
    Endpoint on(String networkId, ContainerId containerId) {
        return endpointOf(networkId, containerId);
    }

    /**
     * The aliases other containers' per-network {@code Links} give the container named
     * {@code containerName} on this network: Docker resolves them in the linking container; the
     * network's DNS here has one set of names per network, so they resolve on all of it.
     */
    List<String> linkAliases(String networkId, String containerName) {
        List<String> out = new ArrayList<>();
        for (Endpoint e : endpoints) {
            if (e.networkId().equals(networkId)) {
                e.rec().aliasesFor(containerName).stream().filter(a -> !out.contains(a)).forEach(out::add);
            }
        }
        return out;
    }

    /** The leases on a network. */
    List<Endpoint> onNetwork(String networkId) {
        return endpoints.stream().filter(e -> e.networkId().equals(networkId)).toList();
    }

    /** Whether any container has a lease on the network. */
    boolean inUse(String networkId) {
        return endpoints.stream().anyMatch(e -> e.networkId().equals(networkId));
    }

    boolean hasEndpoints(ContainerId containerId) {
        return endpoints.stream().anyMatch(e -> e.containerId().equals(containerId));
    }

    /** The IPv4 addresses leased on the network. */
    Set<String> taken(String networkId) {
        Set<String> taken = new HashSet<>();
        for (Endpoint e : endpoints) {
            if (e.networkId().equals(networkId)) {
                taken.add(e.ip());
            }
        }
        return taken;
    }

    /** The IPv6 addresses leased on the network. */
    Set<String> taken6(String networkId) {
        Set<String> taken = new HashSet<>();
        for (Endpoint e : endpoints) {
            if (e.networkId().equals(networkId) && e.rec().ip6() != null) {
                taken.add(e.rec().ip6());
            }
        }
        return taken;
    }

    /**
     * moby's answer to an {@code IPv6Address} on a network without IPv6 that no configured subnet
     * contains.
     */
    private static String noIpv6Subnet(String ip6) {
        return "invalid endpoint settings:\nno configured subnet contains IP address " + ip6;
    }

    /**
     * Whether {@code ip6} lies in the IPv6 subnet a network without IPv6 was given and keeps unused.
     * Docker 25-28 (the API version Wharf serves) take such an address: it stays in the endpoint's
     * {@code IPAMConfig}, and no interface gets it (docker-py 7.1's IPv6 address tests rely on it).
     */
    private static boolean inUnusedSubnet6(NetworkRecord n, String ip6) {
        String unused = n.extra().unusedSubnet6();
        return unused != null && Subnet6.parse(unused).contains(Subnet6.ip(ip6));
    }

    /** Caller holds this monitor. */
    private Endpoint lease(NetworkRecord n, ContainerId containerId, String containerName, EndpointSettings cfg) {
        String requested = cfg.ipv4();
        if (requested != null && !requested.isEmpty() && n.name().equals(NetworkCatalogue.BRIDGE)) {
            throw new InvalidArgumentException("user specified IP address is supported on user defined networks only");
        }
        String ip = Ipam.allocate(n, taken(n.id()), requested);
        String requested6 = cfg.ipv6() == null ? null : Subnet6.canonical(cfg.ipv6());
        if (requested6 != null && !n.ipv6() && !inUnusedSubnet6(n, requested6)) {
            throw new InvalidArgumentException(noIpv6Subnet(requested6));
        }
        // without IPv6 on the network a requested address is only kept (inUnusedSubnet6)
        String ip6 = n.ipv6() ? Ipam.allocate6(n, taken6(n.id()), requested6) : requested6;
        List<String> dnsNames = new ArrayList<>();
        dnsNames.add(containerName);
        cfg.aliases().forEach(a -> {
            if (!dnsNames.contains(a)) {
                dnsNames.add(a);
            }
        });
        dnsNames.add(containerId.shortId());
        Set<String> ifaces = new HashSet<>();
        for (Endpoint e : endpoints) {
            if (e.containerId().equals(containerId)) {
                ifaces.add(e.rec().iface());
            }
        }
        int k = 0;
        while (ifaces.contains("eth" + k)) {
            k++;
        }
        String mac = checkedMac(cfg);
        EndpointRecord rec = new EndpointRecord(NetworkCatalogue.randomId(), containerName, "eth" + k,
                mac != null ? mac : Ipam.mac(ip), cfg.aliases(), dnsNames, requested != null && !requested.isEmpty(),
                ip6, requested6 != null, cfg.driverOpts(), cfg.linkLocalIps(), cfg.links(), mac != null);
        try {
            if (!table.lease(new EndpointRow(n.id(), containerId.value(), ip, Json.mapper().writeValueAsString(rec)))) {
                throw new ConflictException("Address already in use: " + ip);
            }
        } catch (JsonProcessingException e) {
            throw new InternalException("cannot store endpoint: " + e.getMessage(), e);
        }
        Endpoint ep = new Endpoint(n.id(), containerId, ip, rec);
        endpoints.add(ep);
        return ep;
    }

    private Endpoint endpointOf(String networkId, ContainerId containerId) {
        for (Endpoint e : endpoints) {
            if (e.networkId().equals(networkId) && e.containerId().equals(containerId)) {
                return e;
            }
        }
        return null;
    }

    /** {@code --mac-address}: the endpoint's {@code MacAddress}, checked and lower-cased; null for none. */
    static String checkedMac(EndpointSettings cfg) {
        String mac = cfg.mac();
        if (mac == null) {
            return null;
        }
        if (!mac.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
            throw new InvalidArgumentException(mac + " is not a valid mac address");
        }
        if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
            throw new InvalidArgumentException(mac + " is a multicast address, not valid for an interface");
        }
        return mac.toLowerCase(Locale.ROOT);
    }

    /** The network a container's mode names: {@code default} and empty are the bridge. */
    static String mode(String networkMode) {
        return networkMode == null || networkMode.isEmpty() || networkMode.equals("default") ? NetworkCatalogue.BRIDGE
                : networkMode;
    }
}
