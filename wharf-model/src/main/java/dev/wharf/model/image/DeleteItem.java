package dev.wharf.model.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of the {@code DELETE /images/{name}} answer: either Untagged or Deleted is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeleteItem(@JsonProperty("Untagged") String untagged, @JsonProperty("Deleted") String deleted) {

    public static DeleteItem untagged(String ref) {
        return new DeleteItem(ref, null);
    }

    public static DeleteItem deleted(String id) {
        return new DeleteItem(null, id);
    }
}
