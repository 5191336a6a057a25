package dev.wharf.engine.network;

import dev.wharf.base.error.InternalException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.engine.event.EventService;
import dev.wharf.runtime.network.Isolation;
import dev.wharf.runtime.network.Netavark;
import dev.wharf.runtime.network.NetavarkConfig;
import dev.wharf.runtime.network.NetavarkStatus;
import dev.wharf.runtime.network.NetworkDriver;
import dev.wharf.store.table.NetworkTable.PortRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Each running container's network namespace ({@code <exec-root>/netns/<id>}) and what the driver
 * (netavark) sets up in it: made at start with the host ports picked, torn down when the container
 * stops; a connect or disconnect of a running container sets up or tears down one network. Also
 * the bridges' life: their isolation rules (a set-up on a bridge whose rules could not be added
 * fails, fail closed) and their release when the last container leaves ({@link BridgeKeeper}).
 */
final class Sandboxes implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("wharf.network");
    private static final System.Logger.Level TIMING = Boolean.getBoolean("wharf.network.timing")
            ? System.Logger.Level.INFO : System.Logger.Level.DEBUG;

    private final NetworkDriver driver;
    private final NetworkCatalogue catalogue;
    private final EndpointLeases leases;
    private final PublishedPorts ports;
    private final EventService events;
    private final Path netnsDir;
    private final BridgeKeeper keeper;
    /** Bridges whose isolation rules could not be added at start-up: set-ups on them try again or fail. */
    private final Set<String> unisolated = ConcurrentHashMap.newKeySet();
    /** Networks being removed, by bridge, for the release's complete teardown. */
    private final Map<String, NetworkRecord> retired = new ConcurrentHashMap<>();

    Sandboxes(NetworkDriver driver, NetworkCatalogue catalogue, EndpointLeases leases, PublishedPorts ports,
            EventService events, Path netnsDir) {
        this.driver = driver;
        this.catalogue = catalogue;
        this.leases = leases;
        this.ports = ports;
        this.events = events;
        this.netnsDir = netnsDir;
        this.keeper = new BridgeKeeper(driver, this::completeTeardown);
    }

    /**
     * At daemon start: removes what a daemon killed mid-release left, releases bridges kept only
     * by their dummy, and makes sure every bridge is isolated (or marks it to fail closed).
     */
    void start() throws IOException {
        Files.createDirectories(netnsDir);
        try (var files = Files.list(netnsDir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith(".release-")).toList()) {
                driver.deleteNamespace(p);
            }
        }
        List<String> bridges = new ArrayList<>();
        for (NetworkRecord n : catalogue.all()) {
            if (n.bridged()) {
                bridges.add(n.bridge());
                keeper.maybeRelease(n.bridge()); // a dummy left by a daemon that was killed
            }
        }
        try {
            driver.isolate(bridges);
        } catch (Isolation.IsolationException e) {
            // Fail closed: containers cannot start on these networks until their rules are in place.
            LOG.log(System.Logger.Level.ERROR, "cannot isolate the networks' bridges " + bridges + ": "
                    + e.getMessage());
            unisolated.addAll(bridges);
        }
    }

    /** The container's namespace file, if it has one of Wharf's. */
    Path netnsPath(ContainerId containerId) {
        return netnsDir.resolve(containerId.value());
    }

    /**
     * Makes the container's network namespace, picks and records its host ports, and has the
     * driver set up every network it is attached to. Null when it has none (none, host,
     * container:). On failure nothing is left behind.
     */
    NetworkService.Sandbox setUp(NetworkService.StartRequest r, Consumer<NetworkService.Namespace> created) {
        List<Endpoint> eps = leases.of(r.containerId());
        if (eps.isEmpty()) {
            return null;
        }
        List<PortAllocator.Wanted> wanted = PortAllocator.wanted(r.portBindings(), r.publishAll(), r.exposedPorts());
        EndpointRecord first = eps.getFirst().rec();
        List<PortRow> bound = wanted.isEmpty() ? List.of()
                : ports.bind(r.containerId(), first.containerName() + " (" + first.endpointId() + ")", wanted);
        try {
            requireIsolation(eps.stream().map(this::bridgeOf).filter(Objects::nonNull).toList());
        } catch (RuntimeException e) {
            ports.unbind(r.containerId());
            throw e;
        }
        Path ns = netnsPath(r.containerId());
        String hosts;
        Map<String, NetavarkStatus> status;
        keeper.useLock().lock();
        try {
            long t0 = System.nanoTime();
            hosts = HostFiles.hosts(r, eps.getFirst().ip(), catalogue.get(eps.getFirst().networkId()).gateway());
            driver.deleteNamespace(ns);
            driver.createNamespace(ns);
            created.accept(new NetworkService.Namespace(ns, hosts));
            long t1 = System.nanoTime();
            status = driver.setUp(ns, config(r.containerId(), r.containerName(), eps, bound, r.dns()));
            LOG.log(TIMING, "network setup of {0}: netns {1} ms, netavark {2} ms", r.containerId(),
                    (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            try {
                driver.deleteNamespace(ns);
            } catch (IOException ignored) {
                // best effort
            }
            ports.unbind(r.containerId());
            for (Endpoint ep : eps) {
                keeper.maybeRelease(bridgeOf(ep)); // a bridge the failed set-up made and left empty
            }
            if (e instanceof RuntimeException re && !(e instanceof Netavark.NetavarkException)) {
                throw re;
            }
            throw new InternalException("cannot set up the container's network: " + e.getMessage(), e);
        } finally {
            keeper.useLock().unlock();
        }
        for (Endpoint e : eps) {
            keeper.hold(bridgeOf(e));
        }
        publish("connect", r.containerId(), eps);
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
        return new NetworkService.Sandbox(ns, hosts, HostFiles.resolvConf(r, dnsServers));
    }

    /** Undoes {@link #setUp}: the driver's teardown, the namespace, the host ports. Safe to repeat. */
    void tearDown(ContainerId containerId, String containerName) {
        Path ns = netnsPath(containerId);
        List<PortRow> held = ports.of(containerId);
        if (Files.exists(ns)) {
            List<Endpoint> eps = leases.of(containerId);
            if (!eps.isEmpty()) {
                keeper.useLock().lock();
                try {
                    long t0 = System.nanoTime();
                    driver.tearDown(ns, config(containerId, containerName, eps, held, List.of()));
                    LOG.log(TIMING, "network teardown of {0}: netavark {1} ms", containerId,
                            (System.nanoTime() - t0) / 1_000_000);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "network teardown of " + containerId + ": " + e.getMessage());
                } finally {
                    keeper.useLock().unlock();
                }
                for (Endpoint e : eps) {
                    keeper.maybeRelease(bridgeOf(e));
                }
                publish("disconnect", containerId, eps);
            }
            try {
                driver.deleteNamespace(ns);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove " + ns + ": " + e.getMessage());
            }
        }
        if (!held.isEmpty()) {
            ports.unbind(containerId);
        }
    }

    /** A running container's new network: set up in its namespace; the lease is released if that fails. */
    void connect(NetworkRecord n, Endpoint ep, String containerName) {
        keeper.useLock().lock();
        try {
            requireIsolation(List.of(n.bridge()));
            driver.setUp(netnsPath(ep.containerId()), config(ep.containerId(), containerName, List.of(ep), List.of(),
                    List.of()));
            keeper.hold(n.bridge());
        } catch (RuntimeException e) {
            leases.release(ep);
            throw e;
        } finally {
            keeper.useLock().unlock();
        }
    }

    /** A running container's new name, in the DNS of its networks (a failure is logged). */
    void renameDns(ContainerId containerId, String containerName) {
        NetavarkConfig cfg = config(containerId, containerName, leases.of(containerId), List.of(), List.of());
        Map<String, List<String>> names = new LinkedHashMap<>();
        cfg.networks().forEach((net, per) -> {
            if (per.aliases() != null) { // null: a network without DNS
                List<String> all = new ArrayList<>();
                all.add(containerName);
                all.addAll(per.aliases());
                names.put(net, all);
            }
        });
        if (names.isEmpty()) {
            return;
        }
        try {
            driver.renameDns(containerId.value(), names);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "DNS rename of " + containerId + ": " + e.getMessage());
        }
    }

    /** A running container leaves a network: torn down in its namespace (a failure is logged). */
    void disconnect(NetworkRecord n, Endpoint ep, String containerName) {
        keeper.useLock().lock();
        try {
            driver.tearDown(netnsPath(ep.containerId()), config(ep.containerId(), containerName, List.of(ep),
                    List.of(), List.of()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "teardown of " + n.name() + " for " + ep.containerId() + ": "
                    + e.getMessage());
        } finally {
            keeper.useLock().unlock();
        }
        keeper.maybeRelease(n.bridge());
    }

    /**
     * Removed networks' bridges, if a dummy still holds them, go at once, and their isolation rules
     * with them. Called outside the catalogue's monitor: the keeper's write lock waits for set-ups.
     */
    void retire(List<NetworkRecord> gone) {
        List<String> bridges = new ArrayList<>();
        for (NetworkRecord n : gone) {
            if (n.bridge() != null) {
                retired.put(n.bridge(), n);
                keeper.releaseNow(n.bridge());
                retired.remove(n.bridge());
                bridges.add(n.bridge());
            }
        }
        driver.dropIsolation(bridges);
    }

    /** Adds the isolation rules a failed attempt left out, or fails the set-up that needs them. */
    private void requireIsolation(Collection<String> bridges) {
        List<String> missing = bridges.stream().filter(unisolated::contains).toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            driver.isolate(missing);
            unisolated.removeAll(missing);
        } catch (Isolation.IsolationException e) {
            throw new InternalException("cannot isolate the network of bridge " + String.join(", ", missing)
                    + " from other networks: " + e.getMessage());
        }
    }

    /**
     * The driver's complete teardown of a network whose bridge nothing uses any more (called by
     * the keeper, under its write lock, after it removed the dummy): a throwaway namespace with a
     * free address is set up and torn down, and netavark, seeing the bridge empty, removes it and
     * the network's firewall rules.
     */
    private void completeTeardown(String bridge) {
        NetworkRecord n = catalogue.byBridge(bridge);
        if (n == null) {
            n = retired.remove(bridge);
        }
        if (n == null || n.subnet() == null) {
            return;
        }
        String ip = Ipam.allocate(n, leases.taken(n.id()), null);
        ContainerId id = ContainerId.random(); // a throwaway container of netavark's, never run
        String ip6 = n.ipv6() ? Ipam.allocate6(n, leases.taken6(n.id()), null) : null;
        EndpointRecord rec = new EndpointRecord(NetworkCatalogue.randomId(), "wharf-release", "eth0", Ipam.mac(ip),
                List.of(), List.of(), false, ip6, false, null, null, null, false);
        Endpoint ep = new Endpoint(n.id(), id, ip, rec);
        Path ns = netnsDir.resolve(".release-" + id.shortId());
        NetworkRecord net = n;
        try {
            driver.createNamespace(ns);
            NetavarkConfig cfg = NetavarkConfigs.of(id, "wharf-release", List.of(ep), List.of(), List.of(),
                    x -> net);
            driver.setUp(ns, cfg);
            driver.tearDown(ns, cfg);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot release bridge " + bridge + ": " + e.getMessage());
        } finally {
            try {
                driver.deleteNamespace(ns);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** A removed container's host ports. */
    void releasePorts(ContainerId containerId) {
        ports.unbind(containerId);
    }

    /** Docker's {@code connect} or {@code disconnect} event of one network. */
    void publishConnect(String action, NetworkRecord n, ContainerId containerId) {
        events.publish("network", action, n.id(), Map.of("container", containerId.value(), "name", n.name(),
                "type", n.driver()));
    }

    /** Docker's network connect/disconnect events for a container's start and stop, one per network. */
    private void publish(String action, ContainerId containerId, List<Endpoint> eps) {
        for (Endpoint e : eps) {
            NetworkRecord n = catalogue.get(e.networkId());
            if (n != null) {
                events.publish("network", action, n.id(), Map.of("container", containerId.value(), "name", n.name(),
                        "type", n.driver()));
            }
        }
    }

    private String bridgeOf(Endpoint e) {
        NetworkRecord n = catalogue.get(e.networkId());
        return n == null ? null : n.bridge();
    }

    private NetavarkConfig config(ContainerId containerId, String containerName, List<Endpoint> eps, List<PortRow> held,
            List<String> dns) {
        List<Endpoint> named = new ArrayList<>();
        for (Endpoint e : eps) {
            List<String> linked = leases.linkAliases(e.networkId(), containerName);
            named.add(linked.isEmpty() ? e : new Endpoint(e.networkId(), e.containerId(), e.ip(),
                    e.rec().withMoreDnsNames(linked)));
        }
        return NetavarkConfigs.of(containerId, containerName, named, held, dns, catalogue::get);
    }

    /**
     * Releases the bridges kept alive only by their dummy links, and drops the isolation rules of
     * bridges that are gone (those that stay, with containers running on, keep theirs).
     */
    @Override
    public void close() {
        keeper.close();
        List<String> gone = new ArrayList<>();
        for (NetworkRecord n : catalogue.all()) {
            if (n.bridged() && !driver.linkExists(n.bridge())) {
                gone.add(n.bridge());
            }
        }
        driver.dropIsolation(gone);
    }
}
