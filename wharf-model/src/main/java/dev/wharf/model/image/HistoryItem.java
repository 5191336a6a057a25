package dev.wharf.model.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One entry of {@code GET /images/{name}/history}, newest first; {@code Id} is {@code <missing>} for foreign layers. */
public record HistoryItem(
        @JsonProperty("Id") String id,
        @JsonProperty("Created") long created,
        @JsonProperty("CreatedBy") String createdBy,
        @JsonProperty("Tags") List<String> tags,
        @JsonProperty("Size") long size,
        @JsonProperty("Comment") String comment) {
}
