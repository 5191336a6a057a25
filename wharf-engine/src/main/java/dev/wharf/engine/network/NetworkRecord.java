package dev.wharf.engine.network;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** A network as stored (the {@code config} column of {@code networks}). */
record NetworkRecord(
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("created") String created,
        @JsonProperty("driver") String driver,
        @JsonProperty("subnet") String subnet,
        @JsonProperty("gateway") String gateway,
        @JsonProperty("ipRange") String ipRange,
        @JsonProperty("internal") boolean internal,
        @JsonProperty("attachable") boolean attachable,
        @JsonProperty("dns") boolean dns,
        @JsonProperty("bridge") String bridge,
        @JsonProperty("options") Map<String, String> options,
        @JsonProperty("labels") Map<String, String> labels,
        @JsonProperty("ipamOptions") Map<String, String> ipamOptions,
        @JsonProperty("subnet6") String subnet6,
        @JsonProperty("gateway6") String gateway6,
        @JsonProperty("extra") NetworkExtras extra) {

    NetworkRecord {
        options = options == null ? Map.of() : options;
        labels = labels == null ? Map.of() : labels;
        extra = extra == null ? NetworkExtras.NONE : extra;
    }

    /** The predefined networks: bridge, host, none. */
    boolean builtin() {
        return name.equals("bridge") || name.equals("host") || name.equals("none");
    }

    /** Whether containers get an IPv6 address here too ({@code --ipv6}). */
    boolean ipv6() {
        return subnet6 != null;
    }

    /** Networks with a device and addresses (not host or none). */
    boolean bridged() {
        return driver.equals("bridge");
    }
}
