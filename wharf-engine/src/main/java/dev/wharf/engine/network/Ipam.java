package dev.wharf.engine.network;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.InternalException;
import java.util.Set;

/**
 * Address management inside one network: the next free address of the subnet (or of its
 * {@code --ip-range}), skipping the network address, the gateway and the broadcast address; or a
 * requested address, checked. The leases themselves are rows of {@code endpoints}.
 */
final class Ipam {

    private Ipam() {
    }

    /** Picks an address; {@code requested} may be null. {@code taken} holds leased addresses. */
    static String allocate(NetworkRecord n, Set<String> taken, String requested) {
        Subnet subnet = Subnet.parse(n.subnet());
        int gateway = Subnet.ip(n.gateway());
        if (requested != null && !requested.isEmpty()) {
            int ip = Subnet.ip(requested);
            if (!subnet.contains(ip) || ip == subnet.base() || ip == subnet.last()) {
                throw new InvalidArgumentException("invalid IP address " + requested + ": it does not belong to "
                        + "the network's subnet " + n.subnet());
            }
            if (ip == gateway || taken.contains(requested)) {
                throw new ConflictException("Address already in use: " + requested);
            }
            return requested;
        }
        Subnet range = n.ipRange() == null || n.ipRange().isEmpty() ? subnet : Subnet.parse(n.ipRange());
        for (long i = 0; i < range.size(); i++) {
            int ip = range.at(i);
            if (ip == subnet.base() || ip == subnet.last() || ip == gateway) {
                continue;
            }
            String s = Subnet.text(ip);
            if (!taken.contains(s) && !n.extra().aux().containsValue(s)) {
                return s;
            }
        }
        throw new InternalException("no available IPv4 addresses on network " + n.name());
    }

    /**
     * Picks an IPv6 address on a network with {@code --ipv6}: the requested one, checked, or the
     * next free one after the gateway, as Docker hands them out.
     */
    static String allocate6(NetworkRecord n, Set<String> taken, String requested) {
        Subnet6 subnet = Subnet6.parse(n.subnet6());
        java.math.BigInteger gateway = Subnet6.ip(n.gateway6());
        if (requested != null && !requested.isEmpty()) {
            java.math.BigInteger ip = Subnet6.ip(requested);
            if (!subnet.contains(ip) || ip.equals(subnet.base())) {
                throw new InvalidArgumentException("invalid IPv6 address " + requested + ": it does not belong to "
                        + "the network's subnet " + n.subnet6());
            }
            String text = Subnet6.text(ip);
            if (ip.equals(gateway) || taken.contains(text)) {
                throw new ConflictException("Address already in use: " + text);
            }
            return text;
        }
        Subnet6 range = n.extra().ipRange6() == null ? subnet : Subnet6.parse(n.extra().ipRange6());
        for (long i = 0; i < 1L << 20; i++) {
            java.math.BigInteger ip = range.at(i);
            if (ip == null) {
                break;
            }
            String text = Subnet6.text(ip);
            if (!ip.equals(subnet.base()) && !ip.equals(gateway) && !taken.contains(text)
                    && n.extra().aux6().values().stream().noneMatch(a -> Subnet6.text(Subnet6.ip(a)).equals(text))) {
                return text;
            }
        }
        throw new InternalException("no available IPv6 addresses on network " + n.name());
    }

    /** Docker's MAC for an address: 02:42 followed by the four bytes of the IPv4 address. */
    static String mac(String ip) {
        int v = Subnet.ip(ip);
        return String.format("02:42:%02x:%02x:%02x:%02x", v >>> 24, v >>> 16 & 255, v >>> 8 & 255, v & 255);
    }
}
