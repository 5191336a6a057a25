package dev.wharf.model.container;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST /containers/prune}; {@code ContainersDeleted} is null when nothing went, as in Docker. */
public record ContainerPruneResponse(
        @JsonProperty("ContainersDeleted") List<String> containersDeleted,
        @JsonProperty("SpaceReclaimed") long spaceReclaimed) {
}
