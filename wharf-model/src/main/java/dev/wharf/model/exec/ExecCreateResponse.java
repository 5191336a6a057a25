package dev.wharf.model.exec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /containers/{id}/exec} answer. */
public record ExecCreateResponse(@JsonProperty("Id") String id) {
}
