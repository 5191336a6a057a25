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
        @JsonProperty("linkLocalIps") List<String> linkLocalIps) {

    EndpointRecord {
        aliases = aliases == null ? List.of() : aliases;
        dnsNames = dnsNames == null ? List.of() : dnsNames;
    }
}
