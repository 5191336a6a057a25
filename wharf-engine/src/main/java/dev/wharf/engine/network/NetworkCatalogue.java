package dev.wharf.engine.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.ForbiddenException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.id.HexId;
import dev.wharf.base.time.Clock;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.event.EventService;
import dev.wharf.model.Json;
import dev.wharf.runtime.network.Isolation;
import dev.wharf.runtime.network.NetworkDriver;
import dev.wharf.store.table.NetworkTable;
import dev.wharf.store.table.NetworkTable.NetworkRow;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The networks: the built-in bridge, host and none, and the user's bridge networks, in memory and
 * in their rows; create, remove, prune, lookup by ID, name or unique ID prefix, and the list
 * filters. Its own monitor guards the map. Whether a network has endpoints is the leases'
 * business ({@link EndpointLeases}); the database's foreign key keeps a network with endpoints
 * from being deleted.
 */
final class NetworkCatalogue {

    static final String BRIDGE = "bridge";

    private final NetworkTable table;
    private final EventService events;
    private final SubnetChooser subnets;
    private final NetworkDriver driver;
    private final HostClaims claims;
    private final Clock clock;
    private final Map<String, NetworkRecord> byId = new LinkedHashMap<>();

    NetworkCatalogue(NetworkTable table, EventService events, SubnetChooser subnets, NetworkDriver driver,
            HostClaims claims, Clock clock) {
        this.table = table;
        this.events = events;
        this.subnets = subnets;
        this.driver = driver;
        this.claims = claims;
        this.clock = clock;
    }

    /** Reads the rows, then adds the built-in networks that are missing (the default bridge's subnet as given). */
    synchronized void load(String bridgeName, String bridgeSubnet) throws IOException {
        for (NetworkRow r : table.list()) {
            byId.put(r.id(), Json.mapper().readValue(r.config(), NetworkRecord.class));
        }
        String now = Times.rfc3339(clock.now());
        if (findByName(BRIDGE) == null) {
            String subnet = bridgeSubnet;
            String gw = null;
            if (subnet == null || subnet.isEmpty()) {
                subnet = subnets.free(SubnetChooser.DEFAULT_BRIDGE_CANDIDATES, all());
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
            o.put("com.docker.network.bridge.name", bridgeName);
            o.put("com.docker.network.driver.mtu", "1500");
            insert(new NetworkRecord(randomId(), BRIDGE, now, "bridge", subnet, gw != null ? gw : Subnet.text(s.at(1)),
                    null, false, false, false, bridgeName, o, Map.of(), null, null, null, null));
        }
        if (findByName("host") == null) {
            insert(new NetworkRecord(randomId(), "host", now, "host", null, null, null, false, false, false, null,
                    null, null, null, null, null, null));
        }
        if (findByName("none") == null) {
            insert(new NetworkRecord(randomId(), "none", now, "null", null, null, null, false, false, false, null,
                    null, null, null, null, null, null));
        }
    }

    synchronized String create(NetworkService.CreateRequest r) {
        String name = r.name() == null ? "" : r.name();
        if (name.isEmpty()) {
            throw new InvalidArgumentException("network name is required");
        }
        if (findByName(name) != null) {
            throw new ConflictException("network with name " + name + " already exists");
        }
        String driverName = r.driver() == null || r.driver().isEmpty() ? "bridge" : r.driver();
        if (!driverName.equals("bridge")) {
            if (driverName.equals("host") || driverName.equals("null")) {
                throw new ForbiddenException("only one instance of \"" + driverName + "\" network is allowed");
            }
            throw new NotFoundException("plugin \"" + driverName + "\" not found");
        }
        SubnetChooser.V6 v6 = subnets.ipv6(r, all());
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
        SubnetChooser.V4 v4 = subnets.ipv4(r, all());
        String id = randomId();
        NetworkRecord n = new NetworkRecord(id, name, Times.rfc3339(clock.now()), driverName, v4.subnet(),
                v4.gateway(), v4.ipRange(), r.internal(), r.attachable(), true, bridge, new LinkedHashMap<>(options),
                r.labels() == null ? Map.of() : new LinkedHashMap<>(r.labels()), r.ipamOptions(), v6.subnet(),
                v6.gateway(), SubnetChooser.extras(r, v4.subnet(), v6));
        try {
            driver.isolate(List.of(bridge));
        } catch (Isolation.IsolationException e) {
            throw new InternalException("cannot isolate network " + name + " from other networks: " + e.getMessage());
        }
        insert(n);
        events.publish("network", "create", id, Map.of("name", name, "type", driverName));
        return id;
    }

    /**
     * Removes a network no container uses from memory and the database; 403 for a built-in one or
     * one with endpoints ({@code inUse} tells, the foreign key makes sure).
     */
    synchronized NetworkRecord remove(String idOrName, Predicate<String> inUse) {
        NetworkRecord n = find(idOrName);
        if (n.builtin()) {
            throw new ForbiddenException(n.name() + " is a pre-defined network and cannot be removed");
        }
        if (inUse.test(n.id()) || !table.delete(n.id())) {
            throw new ForbiddenException("error while removing network: network " + n.name() + " id " + n.id()
                    + " has active endpoints");
        }
        byId.remove(n.id());
        events.publish("network", "destroy", n.id(), Map.of("name", n.name(), "type", n.driver()));
        return n;
    }

    /** Removes the user networks no container uses that match {@code label}, {@code label!} and {@code until}. */
    synchronized List<NetworkRecord> prune(Filters f, Predicate<String> inUse) {
        f.only(Set.of("label", "label!", "until"));
        List<NetworkRecord> out = new ArrayList<>();
        for (NetworkRecord n : List.copyOf(byId.values())) {
            if (n.builtin() || inUse.test(n.id())) {
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

    /** The networks sorted by name, those that pass the list filters only. */
    synchronized List<NetworkRecord> list(Filters f, Predicate<String> inUse) {
        f.only(Set.of("name", "id", "label", "driver", "type", "scope", "dangling"));
        List<NetworkRecord> out = new ArrayList<>();
        for (NetworkRecord n : byId.values().stream().sorted(Comparator.comparing(NetworkRecord::name)).toList()) {
            if (matches(n, f, inUse)) {
                out.add(n);
            }
        }
        return out;
    }

    // ---- lookup ----

    synchronized NetworkRecord find(String idOrName) {
        NetworkRecord n = findOrNull(idOrName);
        if (n == null) {
            throw new NotFoundException("network " + idOrName + " not found");
        }
        return n;
    }

    /** By ID, name ({@code default} is the bridge) or unique ID prefix; null when none, 400 when ambiguous. */
    synchronized NetworkRecord findOrNull(String idOrName) {
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

    /** The network with exactly this ID, or null. */
    synchronized NetworkRecord get(String id) {
        return byId.get(id);
    }

    /** The network whose bridge device this is, or null. */
    synchronized NetworkRecord byBridge(String bridge) {
        for (NetworkRecord r : byId.values()) {
            if (bridge.equals(r.bridge())) {
                return r;
            }
        }
        return null;
    }

    /** A snapshot of every network. */
    synchronized List<NetworkRecord> all() {
        return List.copyOf(byId.values());
    }

    private NetworkRecord findByName(String name) {
        for (NetworkRecord n : byId.values()) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        return null;
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

    /** Tells daemons side by side which subnets this one uses. */
    synchronized void publishSubnets() {
        List<Subnet> mine = new ArrayList<>();
        for (NetworkRecord n : byId.values()) {
            if (n.subnet() != null) {
                mine.add(Subnet.parse(n.subnet()));
            }
        }
        claims.publish(mine);
    }

    /** The list filters, as moby's {@code daemon/network/filter.go} applies them. */
    private static boolean matches(NetworkRecord n, Filters f, Predicate<String> inUse) {
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
            boolean dangling = !n.builtin() && !inUse.test(n.id());
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

    static String randomId() {
        return HexId.random();
    }
}
