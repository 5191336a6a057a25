package dev.wharf.model.container;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code X-Docker-Container-Path-Stat} header of the archive endpoints (base64 of this JSON).
 * {@code mode} carries Go's {@code os.FileMode} bits, not {@code st_mode}.
 */
public record PathStat(
        @JsonProperty("name") String name,
        @JsonProperty("size") long size,
        @JsonProperty("mode") long mode,
        @JsonProperty("mtime") String mtime,
        @JsonProperty("linkTarget") String linkTarget) {
}
