package dev.wharf.model.container;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of {@code GET /containers/{id}/changes}: Kind 0 modified, 1 added, 2 deleted. */
public record ChangeItem(@JsonProperty("Path") String path, @JsonProperty("Kind") int kind) {
}
