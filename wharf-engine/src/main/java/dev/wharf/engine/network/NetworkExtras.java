package dev.wharf.engine.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * IPAM settings of a network beyond its subnets (the {@code extra} member of a stored
 * {@link NetworkRecord}; absent in records written before it existed): the IPv6 {@code IPRange},
 * the {@code AuxiliaryAddresses} of each family (reserved, never leased), and an IPv6 subnet given
 * without {@code EnableIPv6}, which Docker keeps in the IPAM config but does not use.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record NetworkExtras(
        @JsonProperty("ipRange6") String ipRange6,
        @JsonProperty("aux") Map<String, String> aux,
        @JsonProperty("aux6") Map<String, String> aux6,
        @JsonProperty("unusedSubnet6") String unusedSubnet6,
        @JsonProperty("unusedGateway6") String unusedGateway6) {

    static final NetworkExtras NONE = new NetworkExtras(null, null, null, null, null);

    NetworkExtras {
        aux = aux == null ? Map.of() : aux;
        aux6 = aux6 == null ? Map.of() : aux6;
    }
}
