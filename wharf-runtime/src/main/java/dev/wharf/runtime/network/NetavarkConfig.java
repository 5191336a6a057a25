package dev.wharf.runtime.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What {@code netavark setup} and {@code teardown} read on stdin (netavark's {@code NetworkOptions});
 * teardown must get the same networks and port mappings that setup got.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetavarkConfig(
        @JsonProperty("container_id") String containerId,
        @JsonProperty("container_name") String containerName,
        @JsonProperty("networks") Map<String, PerNetwork> networks,
        @JsonProperty("network_info") Map<String, Network> networkInfo,
        @JsonProperty("port_mappings") List<PortMapping> portMappings,
        @JsonProperty("dns_servers") List<String> dnsServers) {

    /** The container's side of one network: interface name, its address, DNS names. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PerNetwork(
            @JsonProperty("interface_name") String interfaceName,
            @JsonProperty("static_ips") List<String> staticIps,
            @JsonProperty("aliases") List<String> aliases,
            @JsonProperty("static_mac") String staticMac) {
    }

    /** A network as netavark sees it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Network(
            @JsonProperty("name") String name,
            @JsonProperty("id") String id,
            @JsonProperty("driver") String driver,
            @JsonProperty("network_interface") String networkInterface,
            @JsonProperty("subnets") List<Subnet> subnets,
            @JsonProperty("ipv6_enabled") boolean ipv6Enabled,
            @JsonProperty("internal") boolean internal,
            @JsonProperty("dns_enabled") boolean dnsEnabled,
            @JsonProperty("options") Map<String, String> options,
            @JsonProperty("ipam_options") Map<String, String> ipamOptions) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Subnet(@JsonProperty("subnet") String subnet, @JsonProperty("gateway") String gateway) {
    }

    /** One published port: {@code hostIp} empty means every address. */
    public record PortMapping(
            @JsonProperty("host_ip") String hostIp,
            @JsonProperty("container_port") int containerPort,
            @JsonProperty("host_port") int hostPort,
            @JsonProperty("range") int range,
            @JsonProperty("protocol") String protocol) {
    }
}
