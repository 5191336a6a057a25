package dev.wharf.engine.network;

import dev.wharf.base.error.ForbiddenException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.runtime.network.NetworkDriver;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subnets of a new network: the ones the request names, checked against the networks there
 * are, or the first free candidate of the address pool, free meaning it overlaps no network of
 * ours, no route or address of the host, and no network of another wharfd beside this one; and
 * its IPv6 subnet, gateway, IP ranges and auxiliary addresses.
 */
final class SubnetChooser {

    /** Where the default bridge's subnet is picked from when {@code --bip} gives none. */
    static final List<String> DEFAULT_BRIDGE_CANDIDATES = List.of("172.17.0.0/16", "172.18.0.0/16", "172.19.0.0/16",
            "172.20.0.0/16", "172.21.0.0/16", "172.22.0.0/16", "172.23.0.0/16", "10.87.0.0/16", "10.86.0.0/16");

    /** A network's IPv4 subnet, gateway and IP range (null: the whole subnet). */
    record V4(String subnet, String gateway, String ipRange) {
    }

    /** A network's IPv6 subnet and gateway; nulls without {@code --ipv6}. */
    record V6(String subnet, String gateway) {
    }

    private final String poolBase;
    private final int poolSize;
    private final NetworkDriver driver;
    private final HostClaims claims;

    SubnetChooser(String poolBase, int poolSize, NetworkDriver driver, HostClaims claims) {
        this.poolBase = poolBase;
        this.poolSize = poolSize;
        this.driver = driver;
        this.claims = claims;
    }

    /** The IPv4 side of a new network; 400 for a bad subnet, gateway or range, 403 for an overlap. */
    V4 ipv4(NetworkService.CreateRequest r, List<NetworkRecord> existing) {
        String subnet;
        String gateway = r.gateway() == null || r.gateway().isEmpty() ? null : r.gateway();
        String ipRange = r.ipRange() == null || r.ipRange().isEmpty() ? null : r.ipRange();
        if (r.subnet() == null || r.subnet().isEmpty()) {
            if (gateway != null || ipRange != null) {
                throw new InvalidArgumentException("a gateway or IP range needs a subnet (--subnet)");
            }
            subnet = free(poolCandidates(), existing);
        } else {
            Subnet s = Subnet.parse(r.subnet());
            if (s.prefix() > 30) {
                throw new InvalidArgumentException("subnet " + r.subnet() + " is too small for a network");
            }
            subnet = s.toString();
            for (NetworkRecord n : existing) {
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
        return new V4(subnet, gateway, ipRange);
    }

    /**
     * The IPv6 subnet and gateway of a new network, or nulls without {@code --ipv6}: the one asked
     * for, or a random unique local /64 as Docker picks; it must not overlap another network's.
     */
    V6 ipv6(NetworkService.CreateRequest r, List<NetworkRecord> existing) {
        boolean given = r.subnet6() != null && !r.subnet6().isEmpty();
        if (!r.ipv6()) {
            // Docker keeps an IPv6 subnet given without EnableIPv6 in the IPAM config and leaves it unused.
            if (given) {
                Subnet6.parse(r.subnet6());
            }
            return new V6(null, null);
        }
        if (!driver.ipv6Available()) {
            throw new InvalidArgumentException("IPv6 is not available on this host (no /proc/sys/net/ipv6)");
        }
        Subnet6 s;
        if (given) {
            s = Subnet6.parse(r.subnet6());
            if (s.prefix() > 120) {
                throw new InvalidArgumentException("subnet " + r.subnet6() + " is too small for a network");
            }
            if (overlaps6(s, existing)) {
                throw new ForbiddenException("Pool overlaps with other one on this address space");
            }
        } else if (r.gateway6() != null && !r.gateway6().isEmpty()) {
            throw new InvalidArgumentException("a gateway needs a subnet (--subnet)");
        } else {
            do {
                s = Subnet6.randomUla();
            } while (overlaps6(s, existing));
        }
        String gw;
        if (r.gateway6() != null && !r.gateway6().isEmpty()) {
            BigInteger g = Subnet6.ip(r.gateway6());
            if (!s.contains(g) || g.equals(s.base())) {
                throw new InvalidArgumentException("gateway " + r.gateway6() + " is not a host address of subnet " + s);
            }
            gw = Subnet6.text(g);
        } else {
            gw = Subnet6.text(s.at(1));
        }
        return new V6(s.toString(), gw);
    }

    private static boolean overlaps6(Subnet6 s, List<NetworkRecord> existing) {
        return existing.stream().anyMatch(n -> n.subnet6() != null && Subnet6.parse(n.subnet6()).overlaps(s));
    }

    /** IPv6 range, auxiliary addresses and an unused IPv6 subnet, checked against their subnets. */
    static NetworkExtras extras(NetworkService.CreateRequest r, String subnet, V6 v6) {
        Subnet s4 = Subnet.parse(subnet);
        Map<String, String> aux = r.aux() == null ? Map.of() : new LinkedHashMap<>(r.aux());
        for (var e : aux.entrySet()) {
            if (!s4.contains(Subnet.ip(e.getValue()))) {
                throw new InvalidArgumentException("auxiliary address " + e.getKey() + "=" + e.getValue()
                        + " is not inside subnet " + subnet);
            }
        }
        String sub6 = v6.subnet() != null ? v6.subnet() : r.subnet6() == null || r.subnet6().isEmpty() ? null
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
        boolean unused = v6.subnet() == null && sub6 != null;
        return new NetworkExtras(range6, aux, aux6, unused ? sub6 : null,
                unused && r.gateway6() != null && !r.gateway6().isEmpty() ? r.gateway6() : null);
    }

    /** The subnets of the daemon's address pool ({@code --default-address-pool}), in order. */
    List<String> poolCandidates() {
        Subnet pool = Subnet.parse(poolBase);
        if (poolSize < pool.prefix() || poolSize > 30) {
            throw new InternalException("bad address pool " + poolBase + " size " + poolSize);
        }
        List<String> out = new ArrayList<>();
        long step = 1L << (32 - poolSize);
        for (long i = 0; i < pool.size() && out.size() < 4096; i += step) {
            out.add(new Subnet(pool.at(i), poolSize).toString());
        }
        return out;
    }

    /** The first candidate that overlaps nothing in use; 403 when every one does. */
    String free(List<String> candidates, List<NetworkRecord> existing) {
        List<Subnet> used = new ArrayList<>();
        for (String cidr : driver.hostSubnets()) {
            used.add(Subnet.parse(cidr));
        }
        used.addAll(claims.others());
        for (NetworkRecord n : existing) {
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
}
