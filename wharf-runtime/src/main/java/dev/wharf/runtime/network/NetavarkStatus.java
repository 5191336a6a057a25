package dev.wharf.runtime.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** What {@code netavark setup} prints for each network: the interfaces it made and the DNS servers. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NetavarkStatus(
        @JsonProperty("dns_search_domains") List<String> dnsSearchDomains,
        @JsonProperty("dns_server_ips") List<String> dnsServerIps,
        @JsonProperty("interfaces") Map<String, Interface> interfaces) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Interface(@JsonProperty("mac_address") String macAddress,
            @JsonProperty("subnets") List<Address> subnets) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Address(@JsonProperty("ipnet") String ipnet, @JsonProperty("gateway") String gateway) {
    }
}
