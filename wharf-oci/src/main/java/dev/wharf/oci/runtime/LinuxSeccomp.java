package dev.wharf.oci.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code linux.seccomp}: the syscall filter runc installs before the process runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LinuxSeccomp(
        @JsonProperty("defaultAction") String defaultAction,
        @JsonProperty("defaultErrnoRet") Integer defaultErrnoRet,
        @JsonProperty("architectures") List<String> architectures,
        @JsonProperty("syscalls") List<Syscall> syscalls) {

    /** {@code syscalls[]}: one action for these names, when all {@code args} conditions hold. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Syscall(
            @JsonProperty("names") List<String> names,
            @JsonProperty("action") String action,
            @JsonProperty("errnoRet") Integer errnoRet,
            @JsonProperty("args") List<Arg> args) {}

    /** {@code args[]}: op is SCMP_CMP_NE, _LT, _LE, _EQ, _GE, _GT or _MASKED_EQ. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Arg(
            @JsonProperty("index") int index,
            @JsonProperty("value") long value,
            @JsonProperty("valueTwo") long valueTwo,
            @JsonProperty("op") String op) {}
}
