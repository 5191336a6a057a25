package dev.wharf.engine.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A container's attachment to a network as stored (the {@code config} column of {@code endpoints}). */
record EndpointRecord(
        @JsonProperty("endpointId") String endpointId,
        @JsonProperty("containerName") String containerName,
        @JsonProperty("interface") String iface,
        @JsonProperty("mac") String mac,
        @JsonProperty("aliases") List<String> aliases,
        @JsonProperty("dnsNames") List<String> dnsNames,
        @JsonProperty("staticIp") boolean staticIp,
        @JsonProperty("ip6") String ip6,
        @JsonProperty("staticIp6") boolean staticIp6,
        @JsonProperty("driverOpts") java.util.Map<String, String> driverOpts,
        @JsonProperty("linkLocalIps") List<String> linkLocalIps,
        @JsonProperty("links") List<String> links,
        @JsonProperty("staticMac") boolean staticMac) {

    EndpointRecord {
        aliases = aliases == null ? List.of() : aliases;
        dnsNames = dnsNames == null ? List.of() : dnsNames;
        links = links == null ? List.of() : links;
    }

    /** This record with more DNS names (those the links of other containers give it). */
    EndpointRecord withMoreDnsNames(List<String> more) {
        List<String> names = new java.util.ArrayList<>(dnsNames);
        more.stream().filter(a -> !names.contains(a)).forEach(names::add);
        return new EndpointRecord(endpointId, containerName, iface, mac, aliases, names, staticIp, ip6, staticIp6,
                driverOpts, linkLocalIps, links, staticMac);
    }

    /** This record after its container was renamed {@code to}: its DNS names follow. */
    EndpointRecord renamed(String to) {
        List<String> names = dnsNames.stream().map(a -> a.equals(containerName) ? to : a).distinct().toList();
        return new EndpointRecord(endpointId, to, iface, mac, aliases, names, staticIp, ip6, staticIp6, driverOpts,
                linkLocalIps, links, staticMac);
    }

    /**
     * The alias that {@code links} give the container named {@code target}, if one does: a link is
     * {@code name[:alias]} (the alias is the name when not given), the name with or without its
     * leading {@code /}.
     */
    List<String> aliasesFor(String target) {
        List<String> out = new java.util.ArrayList<>();
        for (String l : links) {
            int colon = l.indexOf(':');
            String name = colon < 0 ? l : l.substring(0, colon);
            String alias = colon < 0 ? name : l.substring(colon + 1);
            if (name.startsWith("/")) {
                name = name.substring(1);
            }
            if (name.equals(target) && !alias.isEmpty()) {
                out.add(alias);
            }
        }
        return out;
    }
}
