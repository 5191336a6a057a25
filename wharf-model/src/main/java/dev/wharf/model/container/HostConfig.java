package dev.wharf.model.container;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host-specific part of a container's configuration. Fields not interpreted yet are kept in
 * {@code other} and echoed back in inspect, as Docker echoes everything it was given.
 */
public record HostConfig(
        @JsonProperty("NetworkMode") String networkMode,
        @JsonProperty("AutoRemove") boolean autoRemove,
        @JsonProperty("LogConfig") LogConfig logConfig,
        @JsonProperty("RestartPolicy") RestartPolicy restartPolicy,
        @JsonProperty("Binds") List<String> binds,
        @JsonProperty("Privileged") boolean privileged,
        @JsonProperty("ReadonlyRootfs") boolean readonlyRootfs,
        @JsonProperty("ConsoleSize") List<Integer> consoleSize,
        @JsonProperty("ShmSize") Long shmSize,
        @JsonProperty("Runtime") String runtime,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

    public HostConfig {
        other = other == null ? new LinkedHashMap<>() : other;
    }

    public static HostConfig defaults() {
        return new HostConfig("default", false, null, null, null, false, false, null, null, null, null);
    }

    /** The same config with these uninterpreted keys (the engine's normalized values recorded there). */
    public HostConfig withOther(Map<String, Object> o) {
        return new HostConfig(networkMode, autoRemove, logConfig, restartPolicy, binds, privileged, readonlyRootfs,
                consoleSize, shmSize, runtime, o);
    }

    /** What inspect shows: Docker's defaults filled in. */
    public HostConfig withDefaults() {
        return new HostConfig(networkMode == null || networkMode.isEmpty() ? "default" : networkMode, autoRemove,
                logConfig == null || logConfig.type() == null || logConfig.type().isEmpty()
                        ? new LogConfig("json-file", logConfig == null || logConfig.config() == null ? Map.of()
                                : logConfig.config()) : logConfig,
                restartPolicy == null ? new RestartPolicy("no", 0) : restartPolicy, binds, privileged,
                readonlyRootfs, consoleSize == null ? List.of(0, 0) : consoleSize,
                shmSize == null || shmSize == 0 ? 67108864L : shmSize,
                runtime == null || runtime.isEmpty() ? "runc" : runtime, other);
    }

    public record LogConfig(@JsonProperty("Type") String type, @JsonProperty("Config") Map<String, String> config) {
    }

    public record RestartPolicy(@JsonProperty("Name") String name,
            @JsonProperty("MaximumRetryCount") int maximumRetryCount) {
    }
}
