package dev.wharf.model.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** One entry of {@code GET /containers/json}. */
public record ContainerSummary(
        @JsonProperty("Id") String id,
        @JsonProperty("Names") List<String> names,
        @JsonProperty("Image") String image,
        @JsonProperty("ImageID") String imageId,
        @JsonProperty("Command") String command,
        @JsonProperty("Created") long created,
        @JsonProperty("Ports") List<Object> ports,
        @JsonProperty("SizeRw") @JsonInclude(JsonInclude.Include.NON_NULL) Long sizeRw,
        @JsonProperty("SizeRootFs") @JsonInclude(JsonInclude.Include.NON_NULL) Long sizeRootFs,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("State") String state,
        @JsonProperty("Status") String status,
        @JsonProperty("HostConfig") Map<String, Object> hostConfig,
        @JsonProperty("NetworkSettings") Map<String, Object> networkSettings,
        @JsonProperty("Mounts") List<Object> mounts) {
}
