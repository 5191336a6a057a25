package dev.wharf.engine.network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's settings for one network, as the API's {@code EndpointSettings} object carries
 * them ({@code NetworkingConfig.EndpointsConfig.<network>} at create, the body's
 * {@code EndpointConfig} at connect), read once by {@link #of}. Values are kept as given; the
 * checks that Docker makes in a given order (the MAC address, the addresses against the network)
 * are made where the network service uses them.
 *
 * @param ipv4 {@code IPAMConfig.IPv4Address}; null when not given (empty when given empty)
 * @param ipv6 {@code IPAMConfig.IPv6Address}; null when not given or empty
 * @param linkLocalIps {@code IPAMConfig.LinkLocalIPs}; null when none
 * @param aliases {@code Aliases}, without empty ones and duplicates
 * @param aliasesGiven whether {@code Aliases} held anything at all (of any JSON type)
 * @param mac {@code MacAddress}; null when not given or empty
 * @param driverOpts {@code DriverOpts}; null when none
 * @param links {@code Links} ({@code container[:alias]}), as given; empty when none
 */
public record EndpointSettings(String ipv4, String ipv6, List<String> linkLocalIps, List<String> aliases,
        boolean aliasesGiven, String mac, Map<String, String> driverOpts, List<String> links) {

    /** No settings: an address and a MAC picked by Wharf, no aliases. */
    public static final EndpointSettings NONE = new EndpointSettings(null, null, null, List.of(), false, null, null,
            List.of());

    public EndpointSettings {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        links = links == null ? List.of() : List.copyOf(links);
    }

    /** Reads the API's object; anything that is not an object reads as {@link #NONE}. */
    public static EndpointSettings of(Object json) {
        if (!(json instanceof Map<?, ?> m)) {
            return NONE;
        }
        String ipv4 = null;
        String ipv6 = null;
        List<String> linkLocal = null;
        if (m.get("IPAMConfig") instanceof Map<?, ?> ipam) {
            ipv4 = ipam.get("IPv4Address") == null ? null : ipam.get("IPv4Address").toString();
            Object v6 = ipam.get("IPv6Address");
            ipv6 = v6 == null || v6.toString().isEmpty() ? null : v6.toString();
            if (ipam.get("LinkLocalIPs") instanceof List<?> l && !l.isEmpty()) {
                linkLocal = l.stream().map(String::valueOf).toList();
            }
        }
        List<String> aliases = new ArrayList<>();
        if (m.get("Aliases") instanceof List<?> l) {
            for (Object a : l) {
                if (a != null && !a.toString().isEmpty() && !aliases.contains(a.toString())) {
                    aliases.add(a.toString());
                }
            }
        }
        String mac = m.get("MacAddress") instanceof String s && !s.isEmpty() ? s : null;
        Map<String, String> driverOpts = null;
        if (m.get("DriverOpts") instanceof Map<?, ?> d && !d.isEmpty()) {
            driverOpts = new LinkedHashMap<>();
            for (var e : d.entrySet()) {
                driverOpts.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            }
        }
        List<String> links = new ArrayList<>();
        if (m.get("Links") instanceof List<?> l) {
            for (Object k : l) {
                if (k != null && !k.toString().isEmpty()) {
                    links.add(k.toString());
                }
            }
        }
        return new EndpointSettings(ipv4, ipv6, linkLocal, aliases, nonEmpty(m.get("Aliases")), mac, driverOpts,
                links);
    }

    /** Reads {@code NetworkingConfig.EndpointsConfig}: network name or ID to its settings, in the request's order. */
    public static Map<String, EndpointSettings> ofAll(Map<String, Object> networkingConfig) {
        Object e = networkingConfig == null ? null : networkingConfig.get("EndpointsConfig");
        if (!(e instanceof Map<?, ?> m)) {
            return null;
        }
        Map<String, EndpointSettings> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), of(v)));
        return out;
    }

    /** The IPv4 address asked for, if one is (a non-empty {@code IPv4Address}). */
    boolean staticIpv4() {
        return ipv4 != null && !ipv4.isEmpty();
    }

    private static boolean nonEmpty(Object v) {
        return v instanceof java.util.Collection<?> c ? !c.isEmpty() : v instanceof Map<?, ?> mm ? !mm.isEmpty()
                : v != null && !(v instanceof String s && s.isEmpty());
    }
}
