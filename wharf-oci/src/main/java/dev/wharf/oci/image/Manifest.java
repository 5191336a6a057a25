package dev.wharf.oci.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An image manifest (OCI {@code image.manifest.v1} or Docker v2 schema 2) or an index (OCI
 * {@code image.index.v1} or a Docker manifest list): {@code manifests} is set for an index,
 * {@code config} and {@code layers} for a manifest. Field order is Docker's serialization order.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
        @JsonProperty("schemaVersion") int schemaVersion,
        @JsonProperty("mediaType") String mediaType,
        @JsonProperty("config") Descriptor config,
        @JsonProperty("layers") List<Descriptor> layers,
        @JsonProperty("manifests") List<Descriptor> manifests) {

    public boolean isIndex() {
        return manifests != null && config == null;
    }
}
