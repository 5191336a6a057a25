package dev.wharf.compose.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** A top-level {@code networks:} entry. {@code name} is null when it is the default {@code project_key}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NetworkSpec(
        @JsonProperty("name") String name,
        @JsonProperty("driver") String driver,
        @JsonProperty("driver_opts") Map<String, String> driverOpts,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("external") boolean external,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("internal") boolean internal,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("attachable") boolean attachable,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("enable_ipv6") boolean enableIpv6,
        @JsonProperty("ipam") Ipam ipam,
        @JsonProperty("labels") Map<String, String> labels) {

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Ipam(@JsonProperty("driver") String driver, @JsonProperty("config") List<Pool> config,
            @JsonProperty("options") Map<String, String> options) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Pool(@JsonProperty("subnet") String subnet, @JsonProperty("ip_range") String ipRange,
            @JsonProperty("gateway") String gateway) {
    }

    public static NetworkSpec defaults() {
        return new NetworkSpec(null, null, Map.of(), false, false, false, false, null, Map.of());
    }
}
