package dev.wharf.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.oci.runtime.LinuxSeccomp;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeccompTest {

    private static List<String> denied(LinuxSeccomp s) {
        return s.syscalls().stream().filter(r -> r.args() == null && r.errnoRet() == 1)
                .flatMap(r -> r.names().stream()).toList();
    }

    @Test
    void defaultProfile_allowsAllButWhatDockerBlocks() {
        LinuxSeccomp s = Seccomp.defaultProfile(SpecGenerator.DEFAULT_CAPABILITIES, new int[] {6, 1});
        assertThat(s.defaultAction()).isEqualTo("SCMP_ACT_ALLOW");
        assertThat(denied(s)).contains("mount", "unshare", "setns", "keyctl", "add_key", "request_key",
                "init_module", "finit_module", "delete_module", "clock_settime", "settimeofday", "reboot",
                "kexec_load", "swapon", "swapoff", "bpf", "perf_event_open").doesNotContain("ptrace", "read");
        assertThat(s.syscalls()).anyMatch(r -> r.names().equals(List.of("clone3")) && r.errnoRet() == 38);
        assertThat(s.syscalls()).anyMatch(r -> r.names().equals(List.of("clone")) && r.args() != null
                && r.args().getFirst().value() == 0x10000000L);
    }

    @Test
    void capabilitiesAllowTheirSyscalls_andOldKernelsBlockPtrace() {
        List<String> caps = new java.util.ArrayList<>(SpecGenerator.DEFAULT_CAPABILITIES);
        caps.add("CAP_SYS_ADMIN");
        caps.add("CAP_SYS_TIME");
        LinuxSeccomp s = Seccomp.defaultProfile(caps, new int[] {4, 4});
        assertThat(denied(s)).doesNotContain("mount", "unshare", "clock_settime").contains("keyctl", "ptrace");
        assertThat(s.syscalls()).noneMatch(r -> r.names().contains("clone"));
    }

    @Test
    void dockerProfile_isConverted_withIncludesAndExcludes() {
        String json = """
                {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,
                 "archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86"]}],
                 "syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"},
                   {"names":["mount"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_ADMIN"]}},
                   {"names":["personality"],"action":"SCMP_ACT_ALLOW",
                    "args":[{"index":0,"value":8,"valueTwo":0,"op":"SCMP_CMP_EQ"}]}]}""";
        LinuxSeccomp s = Seccomp.fromDocker(json, List.of(), new int[] {6, 1});
        assertThat(s.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(s.architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86");
        assertThat(s.syscalls()).hasSize(2);
        assertThat(s.syscalls().get(1).args().getFirst().value()).isEqualTo(8);
        assertThat(Seccomp.fromDocker(json, List.of("CAP_SYS_ADMIN"), new int[] {6, 1}).syscalls()).hasSize(3);
    }

    @Test
    void options_unconfinedPrivilegedAndBadProfiles() {
        assertThat(Seccomp.forContainer(List.of("seccomp=unconfined"), List.of(), false)).isNull();
        assertThat(Seccomp.forContainer(List.of(), List.of(), true)).isNull();
        assertThat(Seccomp.forContainer(List.of("no-new-privileges"), List.of(), false)).isNotNull();
        assertThatThrownBy(() -> Seccomp.validate(List.of("seccomp={bad"))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("Decoding seccomp profile failed");
        assertThatThrownBy(() -> Seccomp.validate(List.of("seccomp={\"syscalls\":[]}")))
                .isInstanceOf(InvalidArgumentException.class);
    }
}
