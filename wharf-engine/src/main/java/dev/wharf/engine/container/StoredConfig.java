package dev.wharf.engine.container;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.HostConfig;
import java.util.List;
import java.util.Map;

/** What a container was created with (the {@code config} JSON column); changed only by rename and update. */
record StoredConfig(
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("created") String created,
        @JsonProperty("imageId") String imageId,
        @JsonProperty("path") String path,
        @JsonProperty("args") List<String> args,
        @JsonProperty("config") ContainerConfig config,
        @JsonProperty("hostConfig") HostConfig hostConfig,
        @JsonProperty("networkingConfig") Map<String, Object> networkingConfig,
        @JsonProperty("mounts") List<ContainerMount> mounts) {

    StoredConfig withName(String n) {
        return new StoredConfig(id, n, created, imageId, path, args, config, hostConfig, networkingConfig, mounts);
    }

    StoredConfig withHostConfig(HostConfig hc) {
        return new StoredConfig(id, name, created, imageId, path, args, config, hc, networkingConfig, mounts);
    }
}
