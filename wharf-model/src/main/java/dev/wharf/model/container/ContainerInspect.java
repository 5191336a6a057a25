package dev.wharf.model.container;

import com.fasterxml.jackson.annotation.JsonInclude;
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
        @JsonProperty("SizeRw") @JsonInclude(JsonInclude.Include.NON_NULL) Long sizeRw,
        @JsonProperty("SizeRootFs") @JsonInclude(JsonInclude.Include.NON_NULL) Long sizeRootFs,
        @JsonProperty("Mounts") List<Object> mounts,
        @JsonProperty("Config") ContainerConfig config,
        @JsonProperty("NetworkSettings") Map<String, Object> networkSettings) {

    /** With {@code SizeRw}/{@code SizeRootFs}, as inspect shows them when asked with {@code size=1}. */
    public ContainerInspect withSizes(long rw, long rootFs) {
        return new ContainerInspect(id, created, path, args, state, image, resolvConfPath, hostnamePath, hostsPath,
                logPath, name, restartCount, driver, platform, mountLabel, processLabel, appArmorProfile, execIds,
                hostConfig, graphDriver, rw, rootFs, mounts, config, networkSettings);
    }
}
