package dev.wharf.model.container;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of {@code POST /containers/{id}/wait}. */
public record WaitResponse(@JsonProperty("Error") WaitError error, @JsonProperty("StatusCode") long statusCode) {

    public record WaitError(@JsonProperty("Message") String message) {
    }
}
