package dev.wharf.model.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST /images/prune}; {@code ImagesDeleted} is null when nothing went, as in Docker. */
public record ImagePruneResponse(
        @JsonProperty("ImagesDeleted") List<DeleteItem> imagesDeleted,
        @JsonProperty("SpaceReclaimed") long spaceReclaimed) {
}
