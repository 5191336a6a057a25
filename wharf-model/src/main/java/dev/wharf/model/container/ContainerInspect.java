package dev.wharf.model.container;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The body of {@code GET /containers/{id}/json}. */
public record ContainerInspect(
        @JsonProperty("Id") String id,
        @JsonProperty("Created") String created,
        @JsonProperty("Path") String path,
        @JsonProperty("Args") List<String> args,
        @JsonProperty("State") ContainerState state,
        @JsonProperty("Image") String image,
        @JsonProperty("ResolvConfPath") String resolvConfPath,
        @JsonProperty("HostnamePath") String hostnamePath,
        @JsonProperty("HostsPath") String hostsPath,
        @JsonProperty("LogPath") String logPath,
        @JsonProperty("Name") String name,
        @JsonProperty("RestartCount") int restartCount,
        @JsonProperty("Driver") String driver,
        @JsonProperty("Platform") String platform,
        @JsonProperty("MountLabel") String mountLabel,
        @JsonProperty("ProcessLabel") String processLabel,
        @JsonProperty("AppArmorProfile") String appArmorProfile,
        @JsonProperty("ExecIDs") List<String> execIds,
        @JsonProperty("HostConfig") HostConfig hostConfig,
        @JsonProperty("GraphDriver") Map<String, Object> graphDriver,
        @JsonProperty("SizeRw") Long sizeRw,
        @JsonProperty("SizeRootFs") Long sizeRootFs,
        @JsonProperty("Mounts") List<Object> mounts,
        @JsonProperty("Config") ContainerConfig config,
        @JsonProperty("NetworkSettings") Map<String, Object> networkSettings) {
}
