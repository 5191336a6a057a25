package dev.wharf.compose.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** A top-level {@code volumes:} entry. {@code name} is null when it is the default {@code project_key}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VolumeSpec(
        @JsonProperty("name") String name,
        @JsonProperty("driver") String driver,
        @JsonProperty("driver_opts") Map<String, String> driverOpts,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("external") boolean external,
        @JsonProperty("labels") Map<String, String> labels) {

    public static VolumeSpec defaults() {
        return new VolumeSpec(null, null, Map.of(), false, Map.of());
    }
}
