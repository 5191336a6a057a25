package dev.wharf.oci.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The OCI / Docker image configuration blob. Its sha256 is the image ID. Field order is the
 * serialization order, so the same config always hashes to the same ID.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageConfig(
        @JsonProperty("architecture") String architecture,
        @JsonProperty("author") String author,
        @JsonProperty("comment") String comment,
        @JsonProperty("config") RunConfig config,
        @JsonProperty("created") String created,
        @JsonProperty("history") List<History> history,
        @JsonProperty("os") String os,
        @JsonProperty("rootfs") RootFs rootfs) {

    /** The runtime defaults ({@code config} in the blob, Docker's PascalCase names). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record RunConfig(
            @JsonProperty("User") String user,
            @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
            @JsonProperty("Env") List<String> env,
            @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonProperty("Cmd") List<String> cmd,
            @JsonProperty("Volumes") Map<String, Object> volumes,
            @JsonProperty("WorkingDir") String workingDir,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("StopSignal") String stopSignal,
            @JsonProperty("Healthcheck") Object healthcheck,
            @JsonProperty("OnBuild") List<String> onBuild,
            @JsonProperty("Shell") List<String> shell) {

        public static RunConfig empty() {
            return new RunConfig(null, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record History(
            @JsonProperty("created") String created,
            @JsonProperty("created_by") String createdBy,
            @JsonProperty("author") String author,
            @JsonProperty("comment") String comment,
            @JsonProperty("empty_layer") Boolean emptyLayer) {
    }

    public record RootFs(@JsonProperty("type") String type, @JsonProperty("diff_ids") List<String> diffIds) {
    }
}
