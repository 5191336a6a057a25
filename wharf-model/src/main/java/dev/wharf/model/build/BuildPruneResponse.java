package dev.wharf.model.build;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST /build/prune}: the cache records removed (null when none, as Docker sends) and the bytes freed. */
public record BuildPruneResponse(@JsonProperty("CachesDeleted") List<String> cachesDeleted,
        @JsonProperty("SpaceReclaimed") long spaceReclaimed) {
}
