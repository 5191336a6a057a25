package dev.wharf.engine.network;

import dev.wharf.base.id.ContainerId;
import dev.wharf.base.time.Clock;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.event.EventService;
import dev.wharf.runtime.network.HostNetworkDriver;
import dev.wharf.runtime.network.Isolation;
import dev.wharf.runtime.network.Netavark;
import dev.wharf.runtime.network.NetworkDriver;
import dev.wharf.store.table.NetworkTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Networks: the one entry point of this package, for routes and the container service. It builds
 * the parts and hands each call to the part that owns it:
 * <ul>
 * <li>{@link NetworkCatalogue}: the networks (create, remove, prune, lookup, filters), with
 * {@link SubnetChooser} picking their subnets;
 * <li>{@link EndpointLeases}: each container's addresses, MACs and names on its networks;
 * <li>{@link PublishedPorts}: the host ports running containers hold;
 * <li>{@link Sandboxes}: each running container's namespace, set up and torn down through the
 * {@link NetworkDriver} (netavark), and the bridges' isolation and release;
 * <li>{@link NetworkViews}: what inspect and list show.
 * </ul>
 * A container's addresses are leased when it is created or connected and released when it is
 * removed or disconnected; its namespace is set up at start and torn down when it stops.
 */
public final class NetworkService implements AutoCloseable {

    public static final String BRIDGE = NetworkCatalogue.BRIDGE;

    /** The start of a container's /etc/hosts (localhost and the IPv6 names), also without a network of ours. */
    public static final String DEFAULT_HOSTS = HostFiles.DEFAULT_HOSTS;

    /** Daemon settings: the default bridge's device and subnet (null: pick one), the pool for new networks. */
    public record Options(String bridgeName, String bridgeSubnet, String poolBase, int poolSize, Path execRoot,
            Path netavark, Path aardvark, Path dataRoot) {
    }

    /** What a container start needs from its networks. */
    public record StartRequest(ContainerId containerId, String containerName, String hostname, String domainname,
            List<String> dns, List<String> dnsSearch, List<String> dnsOptions, List<String> extraHosts,
            Map<String, List<PortBinding>> portBindings, boolean publishAll, Map<String, Object> exposedPorts) {
    }

    /** A container's set-up network namespace and the hosts and resolv.conf it should see. */
    public record Sandbox(Path netns, String hosts, String resolvConf) {
    }

    /**
     * What is known of a sandbox once its namespace exists, before the driver has configured it:
     * enough for the runtime to create the container in it.
     */
    public record Namespace(Path netns, String hosts) {
    }

    /** A request of {@code POST /networks/create}. */
    public record CreateRequest(String name, String driver, boolean internal, boolean attachable, boolean ipv6,
            String subnet, String gateway, String ipRange, Map<String, String> options, Map<String, String> labels,
            Map<String, String> ipamOptions, String subnet6, String gateway6, String ipRange6,
            Map<String, String> aux, Map<String, String> aux6) {
    }

    private final HostClaims claims;
    private final NetworkCatalogue catalogue;
    private final EndpointLeases leases;
    private final Sandboxes sandboxes;
    private final NetworkViews views;

    public NetworkService(NetworkTable table, EventService events, Options opts) throws IOException {
        this(table, events, opts, new HostNetworkDriver(new Netavark(opts.netavark(), opts.aardvark(),
                opts.execRoot().resolve("netavark")), new Isolation()), HostClaims.DIR, Clock.system());
    }

    NetworkService(NetworkTable table, EventService events, Options opts, NetworkDriver driver, Path claimsDir,
            Clock clock) throws IOException {
        this.claims = HostClaims.claim(claimsDir, opts.bridgeName(), opts.dataRoot());
        SubnetChooser subnets = new SubnetChooser(opts.poolBase(), opts.poolSize(), driver, claims);
        this.catalogue = new NetworkCatalogue(table, events, subnets, driver, claims, clock);
        this.leases = new EndpointLeases(table, catalogue);
        PublishedPorts ports = new PublishedPorts(table);
        this.sandboxes = new Sandboxes(driver, catalogue, leases, ports, events, opts.execRoot().resolve("netns"));
        this.views = new NetworkViews(catalogue, leases, ports, sandboxes::netnsPath);
        catalogue.load(opts.bridgeName(), opts.bridgeSubnet());
        leases.load();
        sandboxes.start();
    }

    @Override
    public void close() {
        sandboxes.close();
        claims.close();
    }

    // ---- the network API ----

    public String create(CreateRequest r) {
        return catalogue.create(r);
    }

    public Map<String, Object> inspect(String idOrName) {
        return views.network(catalogue.find(idOrName), true);
    }

    public List<Map<String, Object>> list(Filters f) {
        return catalogue.list(f, leases::inUse).stream().map(n -> views.network(n, false)).toList();
    }

    /** Removes a network; its bridge and firewall rules are gone when this returns. */
    public void remove(String idOrName) {
        sandboxes.retire(List.of(catalogue.remove(idOrName, leases::inUse)));
        catalogue.publishSubnets();
    }

    /** Removes the user networks no container uses; returns their names. */
    public List<String> prune(Filters f) {
        List<NetworkRecord> gone = catalogue.prune(f, leases::inUse);
        sandboxes.retire(gone);
        catalogue.publishSubnets();
        return gone.stream().map(NetworkRecord::name).toList();
    }

    // ---- containers: leases ----

    /**
     * Checks a create request's network mode, endpoint settings, published ports and extra hosts
     * without leasing anything; 400 for an unknown network or bad settings.
     */
    public void validate(String networkMode, Map<String, EndpointSettings> endpointsConfig,
            Map<String, List<PortBinding>> portBindings, List<String> extraHosts) {
        PortAllocator.wanted(portBindings, false, null);
        extraHosts.forEach(HostFiles::extraHost);
        leases.validate(networkMode, endpointsConfig);
    }

    /** Leases addresses on the container's networks at create; undone by {@link #release}. */
    public void attach(ContainerId containerId, String containerName, String networkMode,
            Map<String, EndpointSettings> endpointsConfig) {
        leases.attach(containerId, containerName, networkMode, endpointsConfig);
    }

    /** Releases every lease of a removed container, and its host ports. */
    public void release(ContainerId containerId) {
        leases.release(containerId);
        sandboxes.releasePorts(containerId);
    }

    /** {@code POST /networks/{id}/connect}; a running container gets the network set up at once. */
    public void connect(String idOrName, ContainerId containerId, String containerName, String networkMode,
            EndpointSettings endpointConfig, boolean running) {
        NetworkRecord n = catalogue.find(idOrName);
        Endpoint ep = leases.connect(n, containerId, containerName, networkMode, endpointConfig);
        if (running) {
            sandboxes.connect(n, ep, containerName);
        }
        sandboxes.publishConnect("connect", n, containerId);
    }

    /** {@code POST /networks/{id}/disconnect}. */
    public void disconnect(String idOrName, ContainerId containerId, String containerName, boolean running) {
        NetworkRecord n = catalogue.find(idOrName);
        Endpoint ep = leases.on(n.id(), containerId);
        if (ep == null) {
            if (!n.bridged()) {
                throw new dev.wharf.base.error.ForbiddenException("container cannot be disconnected from host "
                        + "network or connected to host network");
            }
            throw new dev.wharf.base.error.ForbiddenException("container " + containerId
                    + " is not connected to network " + n.name());
        }
        if (running) {
            sandboxes.disconnect(n, ep, containerName);
        }
        leases.release(ep);
        sandboxes.publishConnect("disconnect", n, containerId);
    }

    /**
     * A renamed container: its endpoints answer to the new name in DNS and show it in inspect, at
     * once when it runs (the old name no longer resolves), else from its next start.
     */
    public void rename(ContainerId containerId, String newName, boolean running) {
        leases.rename(containerId, newName);
        if (running) {
            sandboxes.renameDns(containerId, newName);
        }
    }

    /** The container's address on the network, or null when it is not attached. */
    public String addressOn(String idOrName, ContainerId containerId) {
        NetworkRecord n = catalogue.findOrNull(idOrName);
        Endpoint e = n == null ? null : leases.on(n.id(), containerId);
        return e == null ? null : e.ip();
    }

    /** Whether the container gets a namespace of Wharf's (it has at least one lease). */
    public boolean hasEndpoints(ContainerId containerId) {
        return leases.hasEndpoints(containerId);
    }

    // ---- containers: sandbox ----

    /**
     * Makes the container's network namespace, picks and records its host ports, and sets up every
     * network it is attached to. Null when it has none (none, host, container:). On failure
     * nothing is left behind.
     */
    public Sandbox setUp(StartRequest r) {
        return sandboxes.setUp(r, ns -> { });
    }

    /**
     * As {@link #setUp(StartRequest)}, telling {@code created} as soon as the namespace exists (and
     * before the driver configures it), from the thread that sets up.
     */
    public Sandbox setUp(StartRequest r, Consumer<Namespace> created) {
        return sandboxes.setUp(r, created);
    }

    /**
     * The /etc/hosts of a container that has no network of ours: {@code --network none}, or the
     * host's network ({@code hostNetwork}, whose file is {@code hostFile}).
     */
    public String hostsWithoutNetwork(StartRequest r, boolean hostNetwork, String hostFile) {
        NetworkRecord bridge = catalogue.findOrNull("default");
        return HostFiles.hostsWithoutNetwork(r, hostNetwork, hostFile, bridge == null ? null : bridge.gateway());
    }

    /** Undoes {@link #setUp}: the teardown, the namespace, the host ports. Safe to repeat. */
    public void tearDown(ContainerId containerId, String containerName) {
        sandboxes.tearDown(containerId, containerName);
    }

    /** The container's namespace file, if it has one of Wharf's. */
    public Path netnsPath(ContainerId containerId) {
        return sandboxes.netnsPath(containerId);
    }

    // ---- containers: views ----

    /** {@code NetworkSettings} of container inspect. */
    public Map<String, Object> settings(ContainerId containerId, String networkMode, boolean running,
            Map<String, Object> exposedPorts) {
        return views.settings(containerId, networkMode, running, exposedPorts);
    }

    /** {@code NetworkSettings} of container list: the networks only. */
    public Map<String, Object> summarySettings(ContainerId containerId, String networkMode, boolean running) {
        return views.summarySettings(containerId, networkMode, running);
    }

    /** The ports of container list: published ones with their host side, exposed ones without. */
    public List<ListedPort> listedPorts(ContainerId containerId, boolean running, Map<String, Object> exposedPorts) {
        return views.listedPorts(containerId, running, exposedPorts);
    }

    /** {@code Ports} of container list as JSON, from {@link #listedPorts}. */
    public static List<Object> summaryPorts(List<ListedPort> listed) {
        return NetworkViews.summaryPorts(listed);
    }

    /** The names and IDs of the networks container list shows for a container. */
    public Map<String, String> networkIds(ContainerId containerId, String networkMode) {
        return views.networkIds(containerId, networkMode);
    }

    /** Whether the container is on the named network (for the container list's network filter). */
    public boolean onNetwork(ContainerId containerId, String networkMode, String idOrName) {
        return views.onNetwork(containerId, networkMode, idOrName);
    }
}
