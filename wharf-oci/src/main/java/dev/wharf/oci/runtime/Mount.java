package dev.wharf.oci.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code mounts[]}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Mount(
        @JsonProperty("destination") String destination,
        @JsonProperty("type") String type,
        @JsonProperty("source") String source,
        @JsonProperty("options") List<String> options) {}
