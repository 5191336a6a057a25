package dev.wharf.model.system;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wharf.model.container.ContainerSummary;
import dev.wharf.model.image.ImageSummary;
import java.util.List;

/** {@code GET /system/df}. {@code LayersSize} counts each layer once, however many images share it. */
public record DiskUsage(
        @JsonProperty("LayersSize") long layersSize,
        @JsonProperty("Images") List<ImageSummary> images,
        @JsonProperty("Containers") List<ContainerSummary> containers,
        @JsonProperty("Volumes") List<Object> volumes,
        @JsonProperty("BuildCache") List<Object> buildCache) {
}
