package dev.wharf.engine.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.ForbiddenException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.Json;
import dev.wharf.runtime.network.Isolation;
import dev.wharf.runtime.network.Netavark;
import dev.wharf.runtime.network.NetavarkConfig;
import dev.wharf.runtime.network.NetavarkStatus;
import dev.wharf.runtime.sys.Netns;
import dev.wharf.store.table.NetworkTable;
import dev.wharf.store.table.NetworkTable.EndpointRow;
import dev.wharf.store.table.NetworkTable.NetworkRow;
import dev.wharf.store.table.NetworkTable.PortRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Networks: the model (bridge, host, none and user networks), IPAM, published ports and each
 * container's sandbox. A container's addresses are leased when it is created or connected and
 * released when it is removed or disconnected; its network namespace ({@code <exec-root>/netns/<id>})
 * is made and set up by netavark at start and torn down when it stops. Public methods validate and
 * take this service's lock for the model; netavark runs outside the lock.
 */
public final class NetworkService implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("wharf.network");
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
    public static final String BRIDGE = "bridge";
    private static final System.Logger.Level TIMING = Boolean.getBoolean("wharf.network.timing")
            ? System.Logger.Level.INFO : System.Logger.Level.DEBUG;

    /** Daemon settings: the default bridge's device and subnet (null: pick one), the pool for new networks. */
    public record Options(String bridgeName, String bridgeSubnet, String poolBase, int poolSize, Path execRoot,
            Path netavark, Path aardvark, Path dataRoot) {
    }

    /** What a container start needs from its networks. */
    public record StartRequest(String containerId, String containerName, String hostname, List<String> dns,
            List<String> dnsSearch, List<String> dnsOptions, List<String> extraHosts, Object portBindings,
            boolean publishAll, Map<String, Object> exposedPorts) {
    }

    /** A container's set-up network namespace and the hosts and resolv.conf it should see. */
    public record Sandbox(Path netns, String hosts, String resolvConf) {
    }

    /** A request of {@code POST /networks/create}. */
    public record CreateRequest(String name, String driver, boolean internal, boolean attachable, boolean ipv6,
            String subnet, String gateway, String ipRange, Map<String, String> options, Map<String, String> labels,
            Map<String, String> ipamOptions, String subnet6, String gateway6, String ipRange6,
            Map<String, String> aux, Map<String, String> aux6) {
    }

    private record Ep(String networkId, String containerId, String ip, EndpointRecord rec) {
    }

    private final NetworkTable table;
    private final EventService events;
    private final Options opts;
    private final Netavark netavark;
    private final Path netnsDir;
    private final Map<String, NetworkRecord> byId = new LinkedHashMap<>();
    private final List<Ep> endpoints = new ArrayList<>();
    private final Object portLock = new Object();
    private volatile List<PortRow> portCache;
    private final AtomicLong portWrites = new AtomicLong();
    private final BridgeKeeper keeper = new BridgeKeeper(this::completeTeardown);
    private final Isolation isolation = new Isolation();
    private final Map<String, NetworkRecord> retired = new java.util.concurrent.ConcurrentHashMap<>();
    private final HostClaims claims;
    /** Bridges whose isolation rules could not be added at start-up: set-ups on them try again or fail. */
    private final Set<String> unisolated = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public NetworkService(NetworkTable table, EventService events, Options opts) throws IOException {
        this.table = table;
        this.events = events;
        this.opts = opts;
        this.netnsDir = opts.execRoot().resolve("netns");
        this.netavark = new Netavark(opts.netavark(), opts.aardvark(), opts.execRoot().resolve("netavark"));
        this.claims = HostClaims.claim(HostClaims.DIR, opts.bridgeName(), opts.dataRoot());
        Files.createDirectories(netnsDir);
        removeReleaseLeftovers();
        for (NetworkRow r : table.list()) {
            byId.put(r.id(), Json.mapper().readValue(r.config(), NetworkRecord.class));
        }
        for (EndpointRow e : table.endpoints()) {
            endpoints.add(new Ep(e.networkId(), e.containerId(), e.ip(),
                    Json.mapper().readValue(e.config(), EndpointRecord.class)));
        }
        ensureBuiltins();
        List<String> bridges = new ArrayList<>();
        for (NetworkRecord n : byId.values()) {
            if (n.bridged()) {
                bridges.add(n.bridge());
                keeper.maybeRelease(n.bridge()); // a dummy left by a daemon that was killed
            }
        }
        try {
            isolation.ensure(bridges);
        } catch (Isolation.IsolationException e) {
            // Fail closed: containers cannot start on these networks until their rules are in place.
            LOG.log(System.Logger.Level.ERROR, "cannot isolate the networks' bridges " + bridges + ": "
                    + e.getMessage());
            unisolated.addAll(bridges);
        }
    }

    /** Adds the isolation rules a failed attempt left out, or fails the set-up that needs them. */
    private void requireIsolation(java.util.Collection<String> bridges) {
        List<String> missing = bridges.stream().filter(unisolated::contains).toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            isolation.ensure(missing);
            unisolated.removeAll(missing);
        } catch (Isolation.IsolationException e) {
            throw new InternalException("cannot isolate the network of bridge " + String.join(", ", missing)
                    + " from other networks: " + e.getMessage());
        }
    }

    /**
     * Releases the bridges kept alive only by their dummy links, and drops the isolation rules of
     * bridges that are gone (those that stay, with containers running on, keep theirs).
     */
    @Override
    public void close() {
        keeper.close();
        List<String> gone = new ArrayList<>();
        synchronized (this) {
            for (NetworkRecord n : byId.values()) {
                if (n.bridged() && !Files.exists(Path.of("/sys/class/net", n.bridge()))) {
                    gone.add(n.bridge());
                }
            }
        }
        isolation.remove(gone);
        claims.close();
    }

    /** Tells daemons side by side which subnets this one uses. */
    private synchronized void publishSubnets() {
        List<Subnet> mine = new ArrayList<>();
        for (NetworkRecord n : byId.values()) {
            if (n.subnet() != null) {
                mine.add(Subnet.parse(n.subnet()));
            }
        }
        claims.publish(mine);
    }

    private void ensureBuiltins() {
        if (findByName(BRIDGE) == null) {
            String subnet = opts.bridgeSubnet();
            String gw = null;
            if (subnet == null || subnet.isEmpty()) {
                subnet = freeSubnet(List.of("172.17.0.0/16", "172.18.0.0/16", "172.19.0.0/16", "172.20.0.0/16",
                        "172.21.0.0/16", "172.22.0.0/16", "172.23.0.0/16", "10.87.0.0/16", "10.86.0.0/16"));
            } else {
                // --bip style: 10.1.2.1/24 names the gateway and the subnet
                Subnet s = Subnet.parse(subnet);
                int given = Subnet.ip(subnet.substring(0, subnet.indexOf('/')));
                gw = given != s.base() ? Subnet.text(given) : null;
                subnet = s.toString();
            }
            Subnet s = Subnet.parse(subnet);
            Map<String, String> o = new LinkedHashMap<>();
            o.put("com.docker.network.bridge.default_bridge", "true");
            o.put("com.docker.network.bridge.enable_icc", "true");
            o.put("com.docker.network.bridge.enable_ip_masquerade", "true");
            o.put("com.docker.network.bridge.host_binding_ipv4", "0.0.0.0");
            o.put("com.docker.network.bridge.name", opts.bridgeName());
            o.put("com.docker.network.driver.mtu", "1500");
            insert(new NetworkRecord(randomId(), BRIDGE, Times.rfc3339(Instant.now()), "bridge", subnet,
                    gw != null ? gw : Subnet.text(s.at(1)), null, false, false, false, opts.bridgeName(), o,
                    Map.of(), null, null, null, null));
        }
        if (findByName("host") == null) {
            insert(new NetworkRecord(randomId(), "host", Times.rfc3339(Instant.now()), "host", null, null, null,
                    false, false, false, null, null, null, null, null, null, null));
        }
        if (findByName("none") == null) {
            insert(new NetworkRecord(randomId(), "none", Times.rfc3339(Instant.now()), "null", null, null, null,
                    false, false, false, null, null, null, null, null, null, null));
        }
    }

    // ---- the network API ----

    public synchronized String create(CreateRequest r) {
        String name = r.name() == null ? "" : r.name();
        if (name.isEmpty()) {
            throw new InvalidArgumentException("network name is required");
        }
        if (findByName(name) != null) {
            throw new ConflictException("network with name " + name + " already exists");
        }
        String driver = r.driver() == null || r.driver().isEmpty() ? "bridge" : r.driver();
        if (!driver.equals("bridge")) {
            if (driver.equals("host") || driver.equals("null")) {
                throw new ForbiddenException("only one instance of \"" + driver + "\" network is allowed");
            }
            throw new NotFoundException("plugin \"" + driver + "\" not found");
        }
        String[] v6 = ipv6Config(r);
        Map<String, String> options = r.options() == null ? Map.of() : r.options();
        String bridge = options.get("com.docker.network.bridge.name");
        if (bridge == null || bridge.isEmpty()) {
            bridge = "wh-" + randomId().substring(0, 12);
        } else if (bridge.length() > 15 || !bridge.matches("[a-zA-Z0-9_.-]+")) {
            throw new InvalidArgumentException("invalid bridge name \"" + bridge + "\": at most 15 letters, "
                    + "digits, '_', '.' or '-'");
        }
        for (NetworkRecord n : byId.values()) {
            if (bridge.equals(n.bridge())) {
                throw new ConflictException("bridge name " + bridge + " is used by network " + n.name());
            }
        }
        String mtu = options.get("com.docker.network.driver.mtu");
        if (mtu != null && !mtu.matches("\\d{3,5}")) {
            throw new InvalidArgumentException("invalid mtu: " + mtu);
        }
        String subnet;
        String gateway = r.gateway() == null || r.gateway().isEmpty() ? null : r.gateway();
        String ipRange = r.ipRange() == null || r.ipRange().isEmpty() ? null : r.ipRange();
        if (r.subnet() == null || r.subnet().isEmpty()) {
            if (gateway != null || ipRange != null) {
                throw new InvalidArgumentException("a gateway or IP range needs a subnet (--subnet)");
            }
            subnet = freeSubnet(poolCandidates());
        } else {
            Subnet s = Subnet.parse(r.subnet());
            if (s.prefix() > 30) {
                throw new InvalidArgumentException("subnet " + r.subnet() + " is too small for a network");
            }
            subnet = s.toString();
            for (NetworkRecord n : byId.values()) {
                if (n.subnet() != null && Subnet.parse(n.subnet()).overlaps(s)) {
                    throw new ForbiddenException("Pool overlaps with other one on this address space");
                }
            }
        }
        Subnet s = Subnet.parse(subnet);
        if (gateway != null) {
            int g = Subnet.ip(gateway);
            if (!s.contains(g) || g == s.base() || g == s.last()) {
                throw new InvalidArgumentException("gateway " + gateway + " is not a host address of subnet "
                        + subnet);
            }
        } else {
            gateway = Subnet.text(s.at(1));
        }
        if (ipRange != null) {
            Subnet range = Subnet.parse(ipRange);
            if (!s.contains(range)) {
                throw new InvalidArgumentException("IP range " + ipRange + " is not inside subnet " + subnet);
            }
            ipRange = range.toString();
        }
        String id = randomId();
        NetworkRecord n = new NetworkRecord(id, name, Times.rfc3339(Instant.now()), driver, subnet, gateway, ipRange,
                r.internal(), r.attachable(), true, bridge, new LinkedHashMap<>(options),
                r.labels() == null ? Map.of() : new LinkedHashMap<>(r.labels()), r.ipamOptions(), v6[0], v6[1],
                extras(r, subnet, v6));
        try {
            isolation.ensure(List.of(bridge));
        } catch (Isolation.IsolationException e) {
            throw new InternalException("cannot isolate network " + name + " from other networks: " + e.getMessage());
        }
        insert(n);
        events.publish("network", "create", id, Map.of("name", name, "type", driver));
        return id;
    }

    /**
     * The IPv6 subnet and gateway of a new network, or nulls without {@code --ipv6}: the one asked
     * for, or a random unique local /64 as Docker picks; it must not overlap another network's.
     */
    private String[] ipv6Config(CreateRequest r) {
        boolean given = r.subnet6() != null && !r.subnet6().isEmpty();
        if (!r.ipv6()) {
            // Docker keeps an IPv6 subnet given without EnableIPv6 in the IPAM config and leaves it unused.
            if (given) {
                Subnet6.parse(r.subnet6());
            }
            return new String[] {null, null};
        }
        if (!Files.exists(Path.of("/proc/sys/net/ipv6"))) {
            throw new InvalidArgumentException("IPv6 is not available on this host (no /proc/sys/net/ipv6)");
        }
        Subnet6 s;
        if (given) {
            s = Subnet6.parse(r.subnet6());
            if (s.prefix() > 120) {
                throw new InvalidArgumentException("subnet " + r.subnet6() + " is too small for a network");
            }
            for (NetworkRecord n : byId.values()) {
                if (n.subnet6() != null && Subnet6.parse(n.subnet6()).overlaps(s)) {
                    throw new ForbiddenException("Pool overlaps with other one on this address space");
                }
            }
        } else if (r.gateway6() != null && !r.gateway6().isEmpty()) {
            throw new InvalidArgumentException("a gateway needs a subnet (--subnet)");
        } else {
            do {
                s = Subnet6.randomUla();
            } while (overlaps6(s));
        }
        String gw;
        if (r.gateway6() != null && !r.gateway6().isEmpty()) {
            java.math.BigInteger g = Subnet6.ip(r.gateway6());
            if (!s.contains(g) || g.equals(s.base())) {
                throw new InvalidArgumentException("gateway " + r.gateway6() + " is not a host address of subnet " + s);
            }
            gw = Subnet6.text(g);
        } else {
            gw = Subnet6.text(s.at(1));
        }
        return new String[] {s.toString(), gw};
    }

    /** {@code EndpointConfig.DriverOpts}, kept for inspect. */
    private static Map<String, String> driverOpts(Object endpointConfig) {
        if (endpointConfig instanceof Map<?, ?> m && m.get("DriverOpts") instanceof Map<?, ?> d && !d.isEmpty()) {
            Map<String, String> out = new LinkedHashMap<>();
            d.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
            return out;
        }
        return null;
    }

    /** {@code EndpointConfig.IPAMConfig.LinkLocalIPs}, kept for inspect. */
    private static List<String> linkLocalIps(Object endpointConfig) {
        if (endpointConfig instanceof Map<?, ?> m && m.get("IPAMConfig") instanceof Map<?, ?> ipam
                && ipam.get("LinkLocalIPs") instanceof List<?> l && !l.isEmpty()) {
            return l.stream().map(String::valueOf).toList();
        }
        return null;
    }

    /** The network's name for netavark and aardvark-dns (a file name there): Docker allows any name. */
    private static String netavarkName(NetworkRecord n) {
        return NAME.matcher(n.name()).matches() ? n.name() : "wharf-" + n.id().substring(0, 12);
    }

    /** IPv6 range, auxiliary addresses and an unused IPv6 subnet, checked against their subnets. */
    private static NetworkExtras extras(CreateRequest r, String subnet, String[] v6) {
        Subnet s4 = Subnet.parse(subnet);
        Map<String, String> aux = r.aux() == null ? Map.of() : new LinkedHashMap<>(r.aux());
        for (var e : aux.entrySet()) {
            if (!s4.contains(Subnet.ip(e.getValue()))) {
                throw new InvalidArgumentException("auxiliary address " + e.getKey() + "=" + e.getValue()
                        + " is not inside subnet " + subnet);
            }
        }
        String sub6 = v6[0] != null ? v6[0] : r.subnet6() == null || r.subnet6().isEmpty() ? null
                : Subnet6.parse(r.subnet6()).toString();
        String range6 = r.ipRange6() == null || r.ipRange6().isEmpty() ? null : r.ipRange6();
        Map<String, String> aux6 = r.aux6() == null ? Map.of() : new LinkedHashMap<>(r.aux6());
        if ((range6 != null || !aux6.isEmpty()) && sub6 == null) {
            throw new InvalidArgumentException("an IPv6 IP range or auxiliary address needs an IPv6 subnet");
        }
        if (range6 != null) {
            Subnet6 range = Subnet6.parse(range6);
            Subnet6 whole = Subnet6.parse(sub6);
            if (!whole.contains(range.base()) || range.prefix() < whole.prefix()) {
                throw new InvalidArgumentException("IP range " + range6 + " is not inside subnet " + sub6);
            }
            range6 = range.toString();
        }
        for (var e : aux6.entrySet()) {
            if (!Subnet6.parse(sub6).contains(Subnet6.ip(e.getValue()))) {
                throw new InvalidArgumentException("auxiliary address " + e.getKey() + "=" + e.getValue()
                        + " is not inside subnet " + sub6);
            }
        }
        boolean unused = v6[0] == null && sub6 != null;
        return new NetworkExtras(range6, aux, aux6, unused ? sub6 : null,
                unused && r.gateway6() != null && !r.gateway6().isEmpty() ? r.gateway6() : null);
    }

    private boolean overlaps6(Subnet6 s) {
        return byId.values().stream().anyMatch(n -> n.subnet6() != null && Subnet6.parse(n.subnet6()).overlaps(s));
    }

    public synchronized Map<String, Object> inspect(String idOrName) {
        return view(find(idOrName), true);
    }

    public synchronized List<Map<String, Object>> list(Filters f) {
        f.only(Set.of("name", "id", "label", "driver", "type", "scope", "dangling"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (NetworkRecord n : sorted()) {
            if (matches(n, f)) {
                out.add(view(n, false));
            }
        }
        return out;
    }

    /** Removes a network; its bridge and firewall rules are gone when this returns. */
    public void remove(String idOrName) {
        retire(List.of(removeRecord(idOrName)));
    }

    private synchronized NetworkRecord removeRecord(String idOrName) {
        NetworkRecord n = find(idOrName);
        if (n.builtin()) {
            throw new ForbiddenException(n.name() + " is a pre-defined network and cannot be removed");
        }
        if (endpoints.stream().anyMatch(e -> e.networkId().equals(n.id())) || !table.delete(n.id())) {
            throw new ForbiddenException("error while removing network: network " + n.name() + " id " + n.id()
                    + " has active endpoints");
        }
        byId.remove(n.id());
        events.publish("network", "destroy", n.id(), Map.of("name", n.name(), "type", n.driver()));
        return n;
    }

    /**
     * Removed networks' bridges, if a dummy still holds them, go at once, and their isolation rules
     * with them. Called outside this object's monitor: the keeper's write lock waits for set-ups.
     */
    private void retire(List<NetworkRecord> gone) {
        List<String> bridges = new ArrayList<>();
        for (NetworkRecord n : gone) {
            if (n.bridge() != null) {
                retired.put(n.bridge(), n);
                keeper.releaseNow(n.bridge());
                retired.remove(n.bridge());
                bridges.add(n.bridge());
            }
        }
        isolation.remove(bridges);
        publishSubnets();
    }

    /** Removes the user networks no container uses; returns their names. */
    public List<String> prune(Filters f) {
        List<NetworkRecord> gone = pruneRecords(f);
        retire(gone);
        return gone.stream().map(NetworkRecord::name).toList();
    }

    private synchronized List<NetworkRecord> pruneRecords(Filters f) {
        f.only(Set.of("label", "label!", "until"));
        List<NetworkRecord> out = new ArrayList<>();
        for (NetworkRecord n : List.copyOf(byId.values())) {
            if (n.builtin() || endpoints.stream().anyMatch(e -> e.networkId().equals(n.id()))) {
                continue;
            }
            if (!f.labelsMatch(n.labels()) || f.get("label!").stream().anyMatch(l -> labelHit(n.labels(), l))) {
                continue;
            }
            boolean tooNew = false;
            for (String u : f.get("until")) {
                Instant until = Times.parseTimestamp(u);
                if (until != null && !Instant.parse(n.created()).isBefore(until)) {
                    tooNew = true;
                }
            }
            if (!tooNew && table.delete(n.id())) {
                byId.remove(n.id());
                out.add(n);
                events.publish("network", "destroy", n.id(), Map.of("name", n.name(), "type", n.driver()));
            }
        }
        return out;
    }

    // ---- containers: leases ----

    /**
     * Checks a create request's network mode and endpoint settings without leasing anything; 404
     * for an unknown network, 400 for bad settings.
     */
    public synchronized void validate(String networkMode, Map<String, Object> endpointsConfig, Object portBindings,
            Object extraHosts) {
        PortAllocator.wanted(portBindings, false, null);
        if (extraHosts instanceof List<?> l) {
            l.forEach(h -> HostFiles.extraHost(String.valueOf(h)));
        }
        String mode = mode(networkMode);
        if (mode.startsWith("container:")) {
            return;
        }
        // 400, not 404: the docker CLI takes a 404 from create for a missing image and tries a pull
        NetworkRecord primary = findOrNull(mode);
        if (primary == null) {
            throw new InvalidArgumentException("network " + mode + " not found");
        }
        if (!primary.bridged() && endpointsConfig != null && endpointsConfig.size() > 1) {
            throw new InvalidArgumentException("container sharing network namespace with another container or host "
                    + "cannot be connected to any other network");
        }
        if (endpointsConfig != null) {
            for (var e : endpointsConfig.entrySet()) {
                NetworkRecord n = findOrNull(e.getKey());
                if (n == null) {
                    throw new InvalidArgumentException("network " + e.getKey() + " not found");
                }
                String ip = requestedIp(e.getValue());
                if (ip != null && !ip.isEmpty()) {
                    if (n.name().equals(BRIDGE)) {
                        throw new InvalidArgumentException(
                                "user specified IP address is supported on user defined networks only");
                    }
                    Subnet.ip(ip);
                }
                requestedMac(e.getValue()); // a bad --mac-address is a 400 before anything is made
            }
        }
    }

    /** Leases addresses on the container's networks at create; undone by {@link #release}. */
    public synchronized void attach(String containerId, String containerName, String networkMode,
            Map<String, Object> endpointsConfig) {
        String mode = mode(networkMode);
        if (mode.startsWith("container:")) {
            return;
        }
        NetworkRecord primary = find(mode);
        if (!primary.bridged()) {
            return;
        }
        try {
            Map<String, Object> cfgs = endpointsConfig == null ? Map.of() : endpointsConfig;
            Object primaryCfg = null;
            for (var e : cfgs.entrySet()) {
                if (find(e.getKey()).id().equals(primary.id())) {
                    primaryCfg = e.getValue();
                }
            }
            lease(primary, containerId, containerName, primaryCfg);
            for (var e : cfgs.entrySet()) {
                NetworkRecord n = find(e.getKey());
                if (!n.id().equals(primary.id()) && n.bridged()) {
                    lease(n, containerId, containerName, e.getValue());
                }
            }
        } catch (RuntimeException e) {
            release(containerId);
            throw e;
        }
    }

    /** Releases every lease of a removed container. */
    public synchronized void release(String containerId) {
        for (Ep e : List.copyOf(endpoints)) {
            if (e.containerId().equals(containerId)) {
                table.release(e.networkId(), containerId);
                endpoints.remove(e);
            }
        }
        unbindPorts(containerId);
    }

    /** {@code POST /networks/{id}/connect}; {@code netns} is the running container's namespace, or null. */
    public void connect(String idOrName, String containerId, String containerName, String networkMode,
            Object endpointConfig, boolean running) {
        NetworkRecord n;
        Ep ep;
        synchronized (this) {
            n = find(idOrName);
            String mode = mode(networkMode);
            if (!n.bridged()) {
                throw new ForbiddenException("container cannot be disconnected from host network or connected to "
                        + "host network");
            }
            if (mode.startsWith("container:") || !find(mode).bridged()) {
                throw new ForbiddenException("container sharing network namespace with another container or host "
                        + "cannot be connected to any other network");
            }
            if (endpointOf(n.id(), containerId) != null) {
                throw new ForbiddenException("endpoint with name " + containerName + " already exists in network "
                        + n.name());
            }
            ep = lease(n, containerId, containerName, endpointConfig);
        }
        if (running) {
            Path ns = netnsDir.resolve(containerId);
            keeper.useLock().lock();
            try {
                requireIsolation(List.of(n.bridge()));
                netavark.setup(ns, config(containerId, containerName, List.of(ep), List.of(), List.of()));
                keeper.hold(n.bridge());
            } catch (RuntimeException e) {
                synchronized (this) {
                    table.release(n.id(), containerId);
                    endpoints.remove(ep);
                }
                throw e;
            } finally {
                keeper.useLock().unlock();
            }
        }
        events.publish("network", "connect", n.id(), Map.of("container", containerId, "name", n.name(),
                "type", n.driver()));
    }

    /** Docker's network connect/disconnect events for a container's start and stop, one per network. */
    private void publishEndpoints(String action, String containerId, List<Ep> eps) {
        for (Ep e : eps) {
            NetworkRecord n;
            synchronized (this) {
                n = byId.get(e.networkId());
            }
            if (n != null) {
                events.publish("network", action, n.id(), Map.of("container", containerId, "name", n.name(),
                        "type", n.driver()));
            }
        }
    }

    /** The container's address on the network, or null when it is not attached. */
    public synchronized String addressOn(String idOrName, String containerId) {
        NetworkRecord n = findOrNull(idOrName);
        Ep e = n == null ? null : endpointOf(n.id(), containerId);
        return e == null ? null : e.ip();
    }

    /** {@code POST /networks/{id}/disconnect}. */
    public void disconnect(String idOrName, String containerId, String containerName, boolean running) {
        NetworkRecord n;
        Ep ep;
        synchronized (this) {
            n = find(idOrName);
            ep = endpointOf(n.id(), containerId);
            if (ep == null) {
                if (!n.bridged()) {
                    throw new ForbiddenException("container cannot be disconnected from host network or connected "
                            + "to host network");
                }
                throw new ForbiddenException("container " + containerId + " is not connected to network "
                        + n.name());
            }
        }
        if (running) {
            keeper.useLock().lock();
            try {
                netavark.teardown(netnsDir.resolve(containerId),
                        config(containerId, containerName, List.of(ep), List.of(), List.of()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "teardown of " + n.name() + " for " + containerId + ": "
                        + e.getMessage());
            } finally {
                keeper.useLock().unlock();
            }
            keeper.maybeRelease(n.bridge());
        }
        synchronized (this) {
            table.release(n.id(), containerId);
            endpoints.remove(ep);
        }
        events.publish("network", "disconnect", n.id(), Map.of("container", containerId, "name", n.name(),
                "type", n.driver()));
    }

    // ---- containers: sandbox ----

    /** Whether the container gets a namespace of Wharf's (it has at least one lease). */
    public synchronized boolean hasEndpoints(String containerId) {
        return endpoints.stream().anyMatch(e -> e.containerId().equals(containerId));
    }

    /**
     * Makes the container's network namespace, picks and records its host ports, and has netavark
     * set up every network it is attached to. Null when it has none (none, host, container:).
     * On failure nothing is left behind.
     */
    public Sandbox setUp(StartRequest r) {
        List<Ep> eps;
        synchronized (this) {
            eps = endpointsOf(r.containerId());
        }
        if (eps.isEmpty()) {
            return null;
        }
        List<PortAllocator.Wanted> wanted = PortAllocator.wanted(r.portBindings(), r.publishAll(), r.exposedPorts());
        List<PortRow> ports = List.of();
        if (!wanted.isEmpty()) {
            synchronized (portLock) {
                unbindPorts(r.containerId());
                ports = PortAllocator.pick(r.containerId(), wanted, ports());
                if (!bindPorts(ports)) {
                    throw new ConflictException("driver failed programming external connectivity on endpoint: "
                            + "port is already allocated");
                }
            }
        }
        try {
            requireIsolation(eps.stream().map(this::bridgeOf).filter(java.util.Objects::nonNull).toList());
        } catch (RuntimeException e) {
            unbindPorts(r.containerId());
            throw e;
        }
        Path ns = netnsDir.resolve(r.containerId());
        Map<String, NetavarkStatus> status;
        keeper.useLock().lock();
        try {
            long t0 = System.nanoTime();
            Netns.delete(ns);
            Netns.create(ns);
            long t1 = System.nanoTime();
            status = netavark.setup(ns, config(r.containerId(), r.containerName(), eps, ports, r.dns()));
            LOG.log(TIMING, "network setup of {0}: netns {1} ms, netavark {2} ms", r.containerId(),
                    (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            try {
                Netns.delete(ns);
            } catch (IOException ignored) {
                // best effort
            }
            unbindPorts(r.containerId());
            for (Ep ep : eps) {
                keeper.maybeRelease(bridgeOf(ep)); // a bridge the failed set-up made and left empty
            }
            if (e instanceof RuntimeException re && !(e instanceof Netavark.NetavarkException)) {
                throw re;
            }
            throw new InternalException("cannot set up the container's network: " + e.getMessage(), e);
        } finally {
            keeper.useLock().unlock();
        }
        for (Ep e : eps) {
            keeper.hold(bridgeOf(e));
        }
        publishEndpoints("connect", r.containerId(), eps);
        List<String> dnsServers = new ArrayList<>();
        for (NetavarkStatus s : status.values()) {
            if (s.dnsServerIps() != null) {
                for (String d : s.dnsServerIps()) {
                    if (!dnsServers.contains(d)) {
                        dnsServers.add(d);
                    }
                }
            }
        }
        NetworkRecord primary;
        synchronized (this) {
            primary = byId.get(eps.getFirst().networkId());
        }
        return new Sandbox(ns, HostFiles.hosts(r, eps.getFirst().ip(), primary.gateway()),
                HostFiles.resolvConf(r, dnsServers));
    }

    /** Undoes {@link #setUp}: netavark teardown, the namespace, the host ports. Safe to repeat. */
    public void tearDown(String containerId, String containerName) {
        Path ns = netnsDir.resolve(containerId);
        List<PortRow> ports = ports().stream().filter(p -> p.containerId().equals(containerId)).toList();
        if (Files.exists(ns)) {
            List<Ep> eps;
            synchronized (this) {
                eps = endpointsOf(containerId);
            }
            if (!eps.isEmpty()) {
                keeper.useLock().lock();
                try {
                    long t0 = System.nanoTime();
                    netavark.teardown(ns, config(containerId, containerName, eps, ports, List.of()));
                    LOG.log(TIMING, "network teardown of {0}: netavark {1} ms", containerId,
                            (System.nanoTime() - t0) / 1_000_000);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "network teardown of " + containerId + ": " + e.getMessage());
                } finally {
                    keeper.useLock().unlock();
                }
                for (Ep e : eps) {
                    keeper.maybeRelease(bridgeOf(e));
                }
                publishEndpoints("disconnect", containerId, eps);
            }
            try {
                Netns.delete(ns);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove " + ns + ": " + e.getMessage());
            }
        }
        if (!ports.isEmpty()) {
            unbindPorts(containerId);
        }
    }

    /**
     * The published ports of every container, as stored; read from SQLite once and kept until a
     * bind or unbind (a {@code ps} of many containers asks for them once per running container).
     */
    private List<PortRow> ports() {
        List<PortRow> p = portCache;
        if (p == null) {
            long seen = portWrites.get();
            p = List.copyOf(table.ports());
            synchronized (portWrites) {
                if (portWrites.get() == seen) { // no bind or unbind since the read: not stale
                    portCache = p;
                }
            }
        }
        return p;
    }

    private boolean bindPorts(List<PortRow> rows) {
        try {
            return table.bindPorts(rows);
        } finally {
            dropPortCache();
        }
    }

    private void unbindPorts(String containerId) {
        try {
            table.unbindPorts(containerId);
        } finally {
            dropPortCache();
        }
    }

    private void dropPortCache() {
        synchronized (portWrites) {
            portWrites.incrementAndGet();
            portCache = null;
        }
    }

    private synchronized String bridgeOf(Ep e) {
        NetworkRecord n = byId.get(e.networkId());
        return n == null ? null : n.bridge();
    }

    /**
     * netavark's complete teardown of a network whose bridge nothing uses any more (called by the
     * keeper, under its write lock, after it removed the dummy): a throwaway namespace with a free
     * address is set up and torn down, and netavark, seeing the bridge empty, removes it and the
     * network's firewall rules.
     */
    private void completeTeardown(String bridge) {
        NetworkRecord n = null;
        Set<String> taken = new HashSet<>();
        Set<String> taken6;
        synchronized (this) {
            for (NetworkRecord r : byId.values()) {
                if (bridge.equals(r.bridge())) {
                    n = r;
                }
            }
            if (n == null) {
                n = retired.remove(bridge);
            }
            if (n == null || n.subnet() == null) {
                return;
            }
            for (Ep e : endpoints) {
                if (e.networkId().equals(n.id())) {
                    taken.add(e.ip());
                }
            }
            taken6 = taken6(n);
        }
        String ip = Ipam.allocate(n, taken, null);
        String id = randomId();
        String ip6 = n.ipv6() ? Ipam.allocate6(n, taken6, null) : null;
        EndpointRecord rec = new EndpointRecord(randomId(), "wharf-release", "eth0", Ipam.mac(ip), List.of(),
                List.of(), false, ip6, false, null, null);
        Ep ep = new Ep(n.id(), id, ip, rec);
        Path ns = netnsDir.resolve(".release-" + id.substring(0, 12));
        NetworkRecord net = n;
        try {
            Netns.create(ns);
            NetavarkConfig cfg = config(id, "wharf-release", List.of(ep), List.of(), List.of(), net);
            netavark.setup(ns, cfg);
            netavark.teardown(ns, cfg);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot release bridge " + bridge + ": " + e.getMessage());
        } finally {
            try {
                Netns.delete(ns);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** A bridge release's namespace left by a daemon killed during the release: remove it at start. */
    private void removeReleaseLeftovers() throws IOException {
        try (var files = Files.list(netnsDir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith(".release-")).toList()) {
                Netns.delete(p);
            }
        }
    }

    /** The container's namespace file, if it has one of Wharf's. */
    public Path netnsPath(String containerId) {
        return netnsDir.resolve(containerId);
    }

    // ---- containers: views ----

    /** {@code NetworkSettings} of container inspect. */
    public synchronized Map<String, Object> settings(String containerId, String networkMode, boolean running,
            Map<String, Object> exposedPorts) {
        List<Ep> eps = endpointsOf(containerId);
        Map<String, Object> ns = new LinkedHashMap<>();
        ns.put("Bridge", "");
        ns.put("SandboxID", running && !eps.isEmpty() ? containerId : "");
        ns.put("SandboxKey", running && !eps.isEmpty() ? netnsDir.resolve(containerId).toString() : "");
        ns.put("Ports", running || exposedPorts != null ? ports(containerId, running, exposedPorts) : Map.of());
        ns.put("HairpinMode", false);
        ns.put("LinkLocalIPv6Address", "");
        ns.put("LinkLocalIPv6PrefixLen", 0);
        ns.put("SecondaryIPAddresses", null);
        ns.put("SecondaryIPv6Addresses", null);
        Map<String, Object> networks = new LinkedHashMap<>();
        Map<String, Object> top = null;
        for (Ep e : eps) {
            NetworkRecord n = byId.get(e.networkId());
            Map<String, Object> v = endpointView(n, e, running);
            networks.put(n.name(), v);
            if (n.name().equals(BRIDGE)) {
                top = v;
            }
        }
        if (eps.isEmpty()) {
            String mode = mode(networkMode);
            NetworkRecord n = mode.startsWith("container:") ? null : findOrNull(mode);
            if (n != null) {
                networks.put(n.name(), endpointView(n, null, running));
            }
        }
        ns.put("EndpointID", top == null ? "" : top.get("EndpointID"));
        ns.put("Gateway", top == null ? "" : top.get("Gateway"));
        ns.put("GlobalIPv6Address", "");
        ns.put("GlobalIPv6PrefixLen", 0);
        ns.put("IPAddress", top == null ? "" : top.get("IPAddress"));
        ns.put("IPPrefixLen", top == null ? 0 : top.get("IPPrefixLen"));
        ns.put("IPv6Gateway", "");
        ns.put("MacAddress", top == null ? "" : top.get("MacAddress"));
        ns.put("Networks", networks);
        return ns;
    }

    /** {@code NetworkSettings} of container list: the networks only. */
    public synchronized Map<String, Object> summarySettings(String containerId, String networkMode, boolean running) {
        Map<String, Object> full = settings(containerId, networkMode, running, null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Networks", full.get("Networks"));
        return out;
    }

    /** {@code Ports} of container list: published ones with their host side, exposed ones without. */
    public List<Object> summaryPorts(String containerId, boolean running, Map<String, Object> exposedPorts) {
        List<Object> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (running) {
            for (PortRow p : ports()) {
                if (p.containerId().equals(containerId)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("IP", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp());
                    m.put("PrivatePort", p.containerPort());
                    m.put("PublicPort", p.hostPort());
                    m.put("Type", p.proto());
                    out.add(m);
                    seen.add(p.containerPort() + "/" + p.proto());
                }
            }
        }
        if (exposedPorts != null) {
            for (String k : exposedPorts.keySet()) {
                String[] pp = PortAllocator.portProto(k);
                if (seen.add(pp[0] + "/" + pp[1])) {
                    out.add(Map.of("PrivatePort", Integer.parseInt(pp[0]), "Type", pp[1]));
                }
            }
        }
        return out;
    }

    /** Whether the container is on the named network (for the container list's network filter). */
    public synchronized boolean onNetwork(String containerId, String networkMode, String idOrName) {
        for (Ep e : endpointsOf(containerId)) {
            NetworkRecord n = byId.get(e.networkId());
            if (n.name().equals(idOrName) || n.id().startsWith(idOrName)) {
                return true;
            }
        }
        return mode(networkMode).equals(idOrName);
    }

    private Map<String, Object> ports(String containerId, boolean running, Map<String, Object> exposedPorts) {
        Map<String, Object> out = new TreeMap<>();
        if (exposedPorts != null) {
            for (String k : exposedPorts.keySet()) {
                String[] pp = PortAllocator.portProto(k);
                out.put(pp[0] + "/" + pp[1], null);
            }
        }
        if (running) {
            for (PortRow p : ports()) {
                if (p.containerId().equals(containerId)) {
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

    private Map<String, Object> endpointView(NetworkRecord n, Ep e, boolean running) {
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
        v.put("Links", null);
        v.put("Aliases", e == null || e.rec().aliases().isEmpty() ? null : e.rec().aliases());
        v.put("MacAddress", up ? e.rec().mac() : "");
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
        v.put("DNSNames", e == null || n.name().equals(BRIDGE) ? null : e.rec().dnsNames());
        return v;
    }

    // ---- internals (caller holds the lock) ----

    private Ep lease(NetworkRecord n, String containerId, String containerName, Object endpointConfig) {
        Set<String> taken = new HashSet<>();
        for (Ep e : endpoints) {
            if (e.networkId().equals(n.id())) {
                taken.add(e.ip());
            }
        }
        String requested = requestedIp(endpointConfig);
        if (requested != null && !requested.isEmpty() && n.name().equals(BRIDGE)) {
            throw new InvalidArgumentException("user specified IP address is supported on user defined networks only");
        }
        String ip = Ipam.allocate(n, taken, requested);
        String requested6 = requestedIp6(endpointConfig);
        if (requested6 != null && !n.ipv6()) {
            throw new InvalidArgumentException("invalid IPv6 address " + requested6 + ": network " + n.name()
                    + " has no IPv6 subnet");
        }
        String ip6 = n.ipv6() ? Ipam.allocate6(n, taken6(n), requested6) : null;
        List<String> aliases = new ArrayList<>();
        if (endpointConfig instanceof Map<?, ?> m && m.get("Aliases") instanceof List<?> l) {
            for (Object a : l) {
                if (a != null && !a.toString().isEmpty() && !aliases.contains(a.toString())) {
                    aliases.add(a.toString());
                }
            }
        }
        List<String> dnsNames = new ArrayList<>();
        dnsNames.add(containerName);
        aliases.forEach(a -> {
            if (!dnsNames.contains(a)) {
                dnsNames.add(a);
            }
        });
        dnsNames.add(containerId.substring(0, 12));
        Set<String> ifaces = new HashSet<>();
        for (Ep e : endpoints) {
            if (e.containerId().equals(containerId)) {
                ifaces.add(e.rec().iface());
            }
        }
        int k = 0;
        while (ifaces.contains("eth" + k)) {
            k++;
        }
        String mac = requestedMac(endpointConfig);
        EndpointRecord rec = new EndpointRecord(randomId(), containerName, "eth" + k, mac != null ? mac : Ipam.mac(ip),
                aliases, dnsNames,
                requested != null && !requested.isEmpty(), ip6, requested6 != null, driverOpts(endpointConfig),
                linkLocalIps(endpointConfig));
        try {
            if (!table.lease(new EndpointRow(n.id(), containerId, ip, Json.mapper().writeValueAsString(rec)))) {
                throw new ConflictException("Address already in use: " + ip);
            }
        } catch (JsonProcessingException e) {
            throw new InternalException("cannot store endpoint: " + e.getMessage(), e);
        }
        Ep ep = new Ep(n.id(), containerId, ip, rec);
        endpoints.add(ep);
        return ep;
    }

    private Set<String> taken6(NetworkRecord n) {
        Set<String> taken = new HashSet<>();
        for (Ep e : endpoints) {
            if (e.networkId().equals(n.id()) && e.rec().ip6() != null) {
                taken.add(e.rec().ip6());
            }
        }
        return taken;
    }

    private NetavarkConfig config(String containerId, String containerName, List<Ep> eps, List<PortRow> ports,
            List<String> dns) {
        return config(containerId, containerName, eps, ports, dns, null);
    }

    private NetavarkConfig config(String containerId, String containerName, List<Ep> eps, List<PortRow> ports,
            List<String> dns, NetworkRecord known) {
        Map<String, NetavarkConfig.PerNetwork> per = new LinkedHashMap<>();
        Map<String, NetavarkConfig.Network> info = new LinkedHashMap<>();
        for (Ep e : eps) {
            NetworkRecord n = known;
            if (n == null) {
                synchronized (this) {
                    n = byId.get(e.networkId());
                }
            }
            boolean dnsOn = n.dns() && !n.name().equals(BRIDGE);
            per.put(netavarkName(n), new NetavarkConfig.PerNetwork(e.rec().iface(),
                    e.rec().ip6() == null ? List.of(e.ip()) : List.of(e.ip(), e.rec().ip6()),
                    dnsOn ? e.rec().dnsNames().stream().filter(a -> !a.equals(containerName)).toList() : null,
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
            info.put(netavarkName(n), new NetavarkConfig.Network(netavarkName(n), n.id(), "bridge", n.bridge(),
                    subnets, n.ipv6(), n.internal(), dnsOn, o,
                    Map.of("driver", "host-local")));
        }
        List<NetavarkConfig.PortMapping> pm = new ArrayList<>();
        for (PortRow p : ports) {
            pm.add(new NetavarkConfig.PortMapping(p.hostIp(), p.containerPort(), p.hostPort(), 1, p.proto()));
        }
        return new NetavarkConfig(containerId, containerName, per, info, pm.isEmpty() ? null : pm,
                dns == null || dns.isEmpty() ? null : dns);
    }

    private List<Ep> endpointsOf(String containerId) {
        List<Ep> out = new ArrayList<>();
        for (Ep e : endpoints) {
            if (e.containerId().equals(containerId)) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(e -> e.rec().iface()));
        return out;
    }

    private Ep endpointOf(String networkId, String containerId) {
        for (Ep e : endpoints) {
            if (e.networkId().equals(networkId) && e.containerId().equals(containerId)) {
                return e;
            }
        }
        return null;
    }

    /** {@code --mac-address}: the endpoint's {@code MacAddress}, checked and lower-cased; null for none. */
    private static String requestedMac(Object endpointConfig) {
        if (endpointConfig instanceof Map<?, ?> m && m.get("MacAddress") instanceof String mac && !mac.isEmpty()) {
            if (!mac.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
                throw new InvalidArgumentException(mac + " is not a valid mac address");
            }
            if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
                throw new InvalidArgumentException(mac + " is a multicast address, not valid for an interface");
            }
            return mac.toLowerCase(java.util.Locale.ROOT);
        }
        return null;
    }

    private static String requestedIp6(Object endpointConfig) {
        if (endpointConfig instanceof Map<?, ?> m && m.get("IPAMConfig") instanceof Map<?, ?> ipam
                && ipam.get("IPv6Address") != null && !ipam.get("IPv6Address").toString().isEmpty()) {
            return Subnet6.canonical(ipam.get("IPv6Address").toString());
        }
        return null;
    }

    private static String requestedIp(Object endpointConfig) {
        if (endpointConfig instanceof Map<?, ?> m && m.get("IPAMConfig") instanceof Map<?, ?> ipam
                && ipam.get("IPv4Address") != null) {
            return ipam.get("IPv4Address").toString();
        }
        return null;
    }

    private static String mode(String networkMode) {
        return networkMode == null || networkMode.isEmpty() || networkMode.equals("default") ? BRIDGE : networkMode;
    }

    private NetworkRecord find(String idOrName) {
        NetworkRecord n = findOrNull(idOrName);
        if (n == null) {
            throw new NotFoundException("network " + idOrName + " not found");
        }
        return n;
    }

    private NetworkRecord findOrNull(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            return null;
        }
        if (idOrName.equals("default")) {
            return findByName(BRIDGE);
        }
        NetworkRecord n = byId.get(idOrName);
        if (n != null) {
            return n;
        }
        n = findByName(idOrName);
        if (n != null) {
            return n;
        }
        List<NetworkRecord> prefix = byId.values().stream().filter(x -> x.id().startsWith(idOrName)).toList();
        if (prefix.size() > 1) {
            throw new InvalidArgumentException("network " + idOrName + " is ambiguous (" + prefix.size()
                    + " matches found based on ID prefix)");
        }
        return prefix.isEmpty() ? null : prefix.getFirst();
    }

    private NetworkRecord findByName(String name) {
        for (NetworkRecord n : byId.values()) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        return null;
    }

    private List<NetworkRecord> sorted() {
        return byId.values().stream().sorted(Comparator.comparing(NetworkRecord::name)).toList();
    }

    private void insert(NetworkRecord n) {
        try {
            if (!table.insert(new NetworkRow(n.id(), n.name(), Times.nanos(Instant.parse(n.created())),
                    Json.mapper().writeValueAsString(n)))) {
                throw new ConflictException("network with name " + n.name() + " already exists");
            }
        } catch (JsonProcessingException e) {
            throw new InternalException("cannot store network: " + e.getMessage(), e);
        }
        byId.put(n.id(), n);
        publishSubnets();
    }

    /** The list filters, as moby's {@code daemon/network/filter.go} applies them. */
    private boolean matches(NetworkRecord n, Filters f) {
        if (!f.exactMatch("driver", n.driver()) || !f.regexMatch("name", n.name()) || !f.regexMatch("id", n.id())
                || !f.labelsMatch(n.labels()) || !f.exactMatch("scope", "local")) {
            return false;
        }
        if (f.has("dangling")) {
            if (f.get("dangling").size() > 1) {
                throw new InvalidArgumentException("got more than one value for filter key \"dangling\"");
            }
            String d = f.get("dangling").getFirst();
            if (!List.of("0", "1", "true", "false").contains(d)) {
                throw new InvalidArgumentException("invalid value for filter 'dangling', must be \"true\" (or \"1\"), "
                        + "or \"false\" (or \"0\")");
            }
            boolean dangling = !n.builtin() && endpoints.stream().noneMatch(e -> e.networkId().equals(n.id()));
            if (dangling != (d.equals("1") || d.equals("true"))) {
                return false;
            }
        }
        if (f.contains("type")) {
            boolean any = false;
            for (String t : f.get("type")) {
                if (!t.equals("custom") && !t.equals("builtin")) {
                    throw new InvalidArgumentException("invalid filter: 'type'='" + t + "'");
                }
                any |= t.equals("custom") != n.builtin();
            }
            return any;
        }
        return true;
    }

    private static boolean labelHit(Map<String, String> labels, String l) {
        int eq = l.indexOf('=');
        return eq < 0 ? labels.containsKey(l) : l.substring(eq + 1).equals(labels.get(l.substring(0, eq)));
    }

    private Map<String, Object> view(NetworkRecord n, boolean detailed) {
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
            for (Ep e : endpoints) {
                if (e.networkId().equals(n.id())) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("Name", e.rec().containerName());
                    c.put("EndpointID", e.rec().endpointId());
                    c.put("MacAddress", e.rec().mac());
                    c.put("IPv4Address", e.ip() + "/" + Subnet.parse(n.subnet()).prefix());
                    c.put("IPv6Address", e.rec().ip6() == null || !n.ipv6() ? ""
                            : e.rec().ip6() + "/" + Subnet6.parse(n.subnet6()).prefix());
                    cs.put(e.containerId(), c);
                }
            }
        }
        v.put("Containers", cs);
        v.put("Options", n.options());
        v.put("Labels", n.labels());
        return v;
    }

    private List<String> poolCandidates() {
        Subnet pool = Subnet.parse(opts.poolBase());
        int size = opts.poolSize();
        if (size < pool.prefix() || size > 30) {
            throw new InternalException("bad address pool " + opts.poolBase() + " size " + size);
        }
        List<String> out = new ArrayList<>();
        long step = 1L << (32 - size);
        for (long i = 0; i < pool.size() && out.size() < 4096; i += step) {
            out.add(new Subnet(pool.at(i), size).toString());
        }
        return out;
    }

    /**
     * The first candidate that overlaps no network of ours, no route or address of the host and no
     * network of another wharfd running beside this one.
     */
    private String freeSubnet(List<String> candidates) {
        List<Subnet> used = new ArrayList<>(HostRoutes.read());
        used.addAll(claims.others());
        for (NetworkRecord n : byId.values()) {
            if (n.subnet() != null) {
                used.add(Subnet.parse(n.subnet()));
            }
        }
        for (String c : candidates) {
            Subnet s = Subnet.parse(c);
            if (used.stream().noneMatch(u -> u.overlaps(s))) {
                return s.toString();
            }
        }
        throw new ForbiddenException("could not find an available, non-overlapping IPv4 address pool among the "
                + "defaults to assign to the network");
    }

    private static String randomId() {
        return ContainerId.random().value();
    }
}
