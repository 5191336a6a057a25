package dev.wharf.oci.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code root}: the container's root filesystem. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Root(@JsonProperty("path") String path, @JsonProperty("readonly") Boolean readonly) {}
