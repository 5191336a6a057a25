package dev.wharf.oci.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code hooks}: POSIX lifecycle hooks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hooks(
        @JsonProperty("prestart") List<Hook> prestart,
        @JsonProperty("createRuntime") List<Hook> createRuntime,
        @JsonProperty("createContainer") List<Hook> createContainer,
        @JsonProperty("startContainer") List<Hook> startContainer,
        @JsonProperty("poststart") List<Hook> poststart,
        @JsonProperty("poststop") List<Hook> poststop) {

    /** One hook command. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Hook(
            @JsonProperty("path") String path,
            @JsonProperty("args") List<String> args,
            @JsonProperty("env") List<String> env,
            @JsonProperty("timeout") Integer timeout) {}
}
