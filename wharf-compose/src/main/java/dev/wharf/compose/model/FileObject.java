package dev.wharf.compose.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A top-level {@code secrets:} or {@code configs:} entry: a file on the host (made absolute),
 * inline {@code content}, or an {@code environment} variable's value. Services mount it read-only.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FileObject(
        @JsonProperty("name") String name,
        @JsonProperty("file") String file,
        @JsonProperty("content") String content,
        @JsonProperty("environment") String environment,
        @JsonProperty("external") boolean external) {
}
