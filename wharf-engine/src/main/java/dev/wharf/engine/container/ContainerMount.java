package dev.wharf.engine.container;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One mount of a container, resolved at create: a volume (by name), a host bind, or a tmpfs.
 * Persisted with the container's config; inspect shows it as {@code Mounts}.
 */
record ContainerMount(
        @JsonProperty("type") String type,
        @JsonProperty("name") String name,
        @JsonProperty("source") String source,
        @JsonProperty("destination") String destination,
        @JsonProperty("mode") String mode,
        @JsonProperty("rw") boolean rw,
        @JsonProperty("propagation") String propagation,
        @JsonProperty("noCopy") boolean noCopy,
        @JsonProperty("subpath") String subpath,
        @JsonProperty("tmpfsOptions") java.util.List<String> tmpfsOptions) {

    ContainerMount withRw(boolean w, String m) {
        return new ContainerMount(type, name, source, destination, m, w, propagation, noCopy, subpath, tmpfsOptions);
    }
}
