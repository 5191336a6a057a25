package dev.wharf.oci.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The root of an OCI bundle's {@code config.json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Spec(
        @JsonProperty("ociVersion") String ociVersion,
        @JsonProperty("process") Process process,
        @JsonProperty("root") Root root,
        @JsonProperty("hostname") String hostname,
        @JsonProperty("mounts") List<Mount> mounts,
        @JsonProperty("hooks") Hooks hooks,
        @JsonProperty("annotations") Map<String, String> annotations,
        @JsonProperty("linux") Linux linux) {

    public static final String VERSION = "1.0.2";

    public Spec withProcess(Process p) {
        return new Spec(ociVersion, p, root, hostname, mounts, hooks, annotations, linux);
    }

    public Spec withMounts(List<Mount> m) {
        return new Spec(ociVersion, process, root, hostname, m, hooks, annotations, linux);
    }

    public Spec withHooks(Hooks h) {
        return new Spec(ociVersion, process, root, hostname, mounts, h, annotations, linux);
    }

    public Spec withLinux(Linux l) {
        return new Spec(ociVersion, process, root, hostname, mounts, hooks, annotations, l);
    }
}
