package dev.wharf.oci.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The container process ({@code process}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Process(
        @JsonProperty("terminal") Boolean terminal,
        @JsonProperty("consoleSize") ConsoleSize consoleSize,
        @JsonProperty("user") User user,
        @JsonProperty("args") List<String> args,
        @JsonProperty("env") List<String> env,
        @JsonProperty("cwd") String cwd,
        @JsonProperty("capabilities") Capabilities capabilities,
        @JsonProperty("rlimits") List<Rlimit> rlimits,
        @JsonProperty("noNewPrivileges") Boolean noNewPrivileges,
        @JsonProperty("apparmorProfile") String apparmorProfile,
        @JsonProperty("oomScoreAdj") Integer oomScoreAdj,
        @JsonProperty("selinuxLabel") String selinuxLabel) {

    public Process withArgs(List<String> a) {
        return new Process(terminal, consoleSize, user, a, env, cwd, capabilities, rlimits, noNewPrivileges,
                apparmorProfile, oomScoreAdj, selinuxLabel);
    }

    public Process withEnv(List<String> e) {
        return new Process(terminal, consoleSize, user, args, e, cwd, capabilities, rlimits, noNewPrivileges,
                apparmorProfile, oomScoreAdj, selinuxLabel);
    }

    public Process withCapabilities(Capabilities c) {
        return new Process(terminal, consoleSize, user, args, env, cwd, c, rlimits, noNewPrivileges,
                apparmorProfile, oomScoreAdj, selinuxLabel);
    }

    public Process withRlimits(List<Rlimit> r) {
        return new Process(terminal, consoleSize, user, args, env, cwd, capabilities, r, noNewPrivileges,
                apparmorProfile, oomScoreAdj, selinuxLabel);
    }

    public Process withConsoleSize(ConsoleSize c) {
        return new Process(terminal, c, user, args, env, cwd, capabilities, rlimits, noNewPrivileges,
                apparmorProfile, oomScoreAdj, selinuxLabel);
    }

    /** {@code process.consoleSize}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ConsoleSize(@JsonProperty("height") int height, @JsonProperty("width") int width) {}

    /** {@code process.user}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record User(
            @JsonProperty("uid") long uid,
            @JsonProperty("gid") long gid,
            @JsonProperty("umask") Integer umask,
            @JsonProperty("additionalGids") List<Long> additionalGids) {}

    /** {@code process.capabilities}: capability names such as {@code CAP_CHOWN}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Capabilities(
            @JsonProperty("bounding") List<String> bounding,
            @JsonProperty("effective") List<String> effective,
            @JsonProperty("inheritable") List<String> inheritable,
            @JsonProperty("permitted") List<String> permitted,
            @JsonProperty("ambient") List<String> ambient) {}

    /** {@code process.rlimits[]}, e.g. type {@code RLIMIT_NOFILE}. */
    public record Rlimit(
            @JsonProperty("type") String type,
            @JsonProperty("hard") long hard,
            @JsonProperty("soft") long soft) {}
}
