package dev.wharf.compose.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A top-level {@code secrets:} or {@code configs:} entry: a file on the host (made absolute),
 * inline {@code content}, or an {@code environment} variable (whose value, read at load, is
 * {@code value} and never printed). Services mount it read-only.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record FileObject(
        @JsonProperty("name") String name,
        @JsonProperty("file") String file,
        @JsonProperty("content") String content,
        @JsonProperty("environment") String environment,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("external") boolean external,
        @com.fasterxml.jackson.annotation.JsonIgnore String value) {

    /** The text of an inline ({@code content}) or environment secret or config; null for a file. */
    public String text() {
        return content != null ? content : value;
    }
}
