package dev.wharf.runtime.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link NetworkDriver} for unit tests. A namespace is an empty file; a set-up puts
 * one port per network on its bridge (as netavark's veth) and a tear-down takes it off, so
 * bridges appear and empty out as on the host. Tests read the configs netavark would have got
 * ({@link #setUps()}, {@link #tearDowns()}) and make set-ups or isolation fail.
 */
public final class FakeNetworkDriver implements NetworkDriver {

    /** One set-up or tear-down as netavark would have run it. */
    public record Run(Path netns, NetavarkConfig config) {
    }

    private final Map<String, List<String>> bridges = new ConcurrentHashMap<>();
    private final Set<String> links = ConcurrentHashMap.newKeySet();
    private final Set<String> isolated = ConcurrentHashMap.newKeySet();
    private final List<Run> setUps = new CopyOnWriteArrayList<>();
    private final List<Run> tearDowns = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, List<String>>> dnsNames = new ConcurrentHashMap<>();
    private final List<String> hostSubnets = new CopyOnWriteArrayList<>();
    private volatile String setUpFailure;
    private volatile String isolationFailure;
    private volatile boolean ipv6 = true;
    private final Gate setUpGate = new Gate("set-up");
    private final Gate tearDownGate = new Gate("tear-down");

    // ---- scripting ----

    /** Set-ups fail with this netavark message (null: they succeed). */
    public void failSetUp(String message) {
        this.setUpFailure = message;
    }

    /** Isolation rules cannot be added (null: they can). */
    public void failIsolation(String message) {
        this.isolationFailure = message;
    }

    /** The host's own networks, which new networks must not overlap. */
    public void hostUses(String... cidrs) {
        hostSubnets.addAll(List.of(cidrs));
    }

    /** Set-ups wait (up to 30 s) until {@link #releaseSetUps}, as a slow netavark would. */
    public void holdSetUps() {
        setUpGate.close();
    }

    public void releaseSetUps() {
        setUpGate.open();
    }

    /** Tear-downs wait (up to 30 s) until {@link #releaseTearDowns}. */
    public void holdTearDowns() {
        tearDownGate.close();
    }

    public void releaseTearDowns() {
        tearDownGate.open();
    }

    /** How many set-ups are waiting in {@link #holdSetUps}. */
    public int setUpsWaiting() {
        return setUpGate.waiting.get();
    }

    /** Where held calls wait, and how many do. */
    private static final class Gate {
        private final String what;
        private final AtomicInteger waiting = new AtomicInteger();
        private volatile CountDownLatch closed;

        Gate(String what) {
            this.what = what;
        }

        void close() {
            closed = new CountDownLatch(1);
        }

        void open() {
            CountDownLatch c = closed;
            closed = null;
            if (c != null) {
                c.countDown();
            }
        }

        void pass() {
            CountDownLatch c = closed;
            if (c == null) {
                return;
            }
            waiting.incrementAndGet();
            try {
                if (!c.await(30, TimeUnit.SECONDS)) {
                    throw new Netavark.NetavarkException("held " + what + " was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Netavark.NetavarkException("interrupted");
            } finally {
                waiting.decrementAndGet();
            }
        }
    }

    public void ipv6(boolean available) {
        this.ipv6 = available;
    }

    public List<Run> setUps() {
        return List.copyOf(setUps);
    }

    public List<Run> tearDowns() {
        return List.copyOf(tearDowns);
    }

    /** The names a container was last given by {@link #renameDns}, per network; empty if never. */
    public Map<String, List<String>> renamedDns(String containerId) {
        return dnsNames.getOrDefault(containerId, Map.of());
    }

    /** The bridges with isolation rules. */
    public Set<String> isolated() {
        return Set.copyOf(isolated);
    }

    /** Whether the bridge exists (some container's set-up made it and it has not been released). */
    public boolean bridgeExists(String bridge) {
        return bridges.containsKey(bridge);
    }

    // ---- the driver ----

    @Override
    public void createNamespace(Path netns) throws IOException {
        Files.createDirectories(netns.getParent());
        if (Files.exists(netns)) {
            throw new IOException("network namespace " + netns + " exists");
        }
        Files.createFile(netns);
    }

    @Override
    public void deleteNamespace(Path netns) throws IOException {
        Files.deleteIfExists(netns);
    }

    @Override
    public Map<String, NetavarkStatus> setUp(Path netns, NetavarkConfig cfg) {
        setUpGate.pass();
        String fail = setUpFailure;
        if (fail != null) {
            throw new Netavark.NetavarkException(fail);
        }
        setUps.add(new Run(netns, cfg));
        Map<String, NetavarkStatus> out = new LinkedHashMap<>();
        for (var e : cfg.networks().entrySet()) {
            NetavarkConfig.Network n = cfg.networkInfo().get(e.getKey());
            bridges.computeIfAbsent(n.networkInterface(), k -> new CopyOnWriteArrayList<>())
                    .add(port(cfg.containerId(), e.getValue().interfaceName()));
            List<String> dns = n.dnsEnabled() ? List.of(n.subnets().getFirst().gateway()) : null;
            out.put(e.getKey(), new NetavarkStatus(null, dns, Map.of()));
        }
        return out;
    }

    @Override
    public void renameDns(String containerId, Map<String, List<String>> names) {
        dnsNames.put(containerId, Map.copyOf(names));
    }

    @Override
    public void tearDown(Path netns, NetavarkConfig cfg) {
        tearDownGate.pass();
        tearDowns.add(new Run(netns, cfg));
        for (var e : cfg.networks().entrySet()) {
            NetavarkConfig.Network n = cfg.networkInfo().get(e.getKey());
            List<String> ports = bridges.get(n.networkInterface());
            if (ports != null) {
                ports.remove(port(cfg.containerId(), e.getValue().interfaceName()));
                if (ports.isEmpty()) {
                    bridges.remove(n.networkInterface()); // as netavark removes a bridge left empty
                }
            }
        }
    }

    @Override
    public void isolate(Collection<String> bridgeNames) {
        String fail = isolationFailure;
        if (fail != null) {
            throw new Isolation.IsolationException(fail);
        }
        isolated.addAll(bridgeNames);
    }

    @Override
    public void dropIsolation(Collection<String> bridgeNames) {
        isolated.removeAll(bridgeNames);
    }

    @Override
    public List<String> bridgePorts(String bridge) {
        List<String> ports = bridges.get(bridge);
        return ports == null ? null : new ArrayList<>(ports);
    }

    @Override
    public boolean linkExists(String name) {
        return links.contains(name);
    }

    @Override
    public boolean addBridgePort(String name, String peer, String bridge) {
        List<String> ports = bridges.get(bridge);
        if (ports == null) {
            return false;
        }
        links.add(name);
        ports.add(name);
        return true;
    }

    @Override
    public void deleteLink(String name) {
        links.remove(name);
        for (List<String> ports : bridges.values()) {
            ports.remove(name);
        }
    }

    @Override
    public List<String> hostSubnets() {
        return List.copyOf(hostSubnets);
    }

    @Override
    public boolean ipv6Available() {
        return ipv6;
    }

    private static String port(String containerId, String iface) {
        return "veth-" + containerId.substring(0, Math.min(8, containerId.length())) + "-" + iface;
    }
}
