package dev.wharf.model.container;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body of a 201 from {@code POST /containers/create}. */
public record CreateResponse(@JsonProperty("Id") String id, @JsonProperty("Warnings") List<String> warnings) {
}
