package dev.wharf.model.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One event of {@code GET /events}. The legacy {@code status}, {@code id} and {@code from} fields
 * are kept because docker-compose 1.29 reads them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventMessage(
        @JsonProperty("status") String status,
        @JsonProperty("id") String id,
        @JsonProperty("from") String from,
        @JsonProperty("Type") String type,
        @JsonProperty("Action") String action,
        @JsonProperty("Actor") Actor actor,
        @JsonProperty("scope") String scope,
        @JsonProperty("time") long time,
        @JsonProperty("timeNano") long timeNano) {

    public record Actor(@JsonProperty("ID") String id, @JsonProperty("Attributes") Map<String, String> attributes) {
    }
}
