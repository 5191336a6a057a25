package dev.wharf.model.exec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST /containers/{id}/exec} body. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecCreateRequest(
        @JsonProperty("User") String user,
        @JsonProperty("Privileged") boolean privileged,
        @JsonProperty("Tty") boolean tty,
        @JsonProperty("ConsoleSize") List<Integer> consoleSize,
        @JsonProperty("AttachStdin") boolean attachStdin,
        @JsonProperty("AttachStdout") boolean attachStdout,
        @JsonProperty("AttachStderr") boolean attachStderr,
        @JsonProperty("Detach") boolean detach,
        @JsonProperty("DetachKeys") String detachKeys,
        @JsonProperty("Env") List<String> env,
        @JsonProperty("WorkingDir") String workingDir,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @JsonProperty("Cmd") List<String> cmd) {
}
