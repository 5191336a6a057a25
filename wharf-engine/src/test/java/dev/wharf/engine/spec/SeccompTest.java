package dev.wharf.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.oci.runtime.LinuxSeccomp;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeccompTest {

    /** The names a profile allows whatever the arguments. */
    private static List<String> allowed(LinuxSeccomp s) {
        return s.syscalls().stream().filter(r -> r.args() == null && r.action().equals("SCMP_ACT_ALLOW"))
                .flatMap(r -> r.names().stream()).toList();
    }

    /** Docker's default profile: deny by default with EPERM, allow what a container needs. */
    @Test
    void defaultProfile_isAnAllowlist_refusingWhatDockersRefuses() {
        LinuxSeccomp s = Seccomp.defaultProfile(SpecGenerator.DEFAULT_CAPABILITIES, new int[] {6, 1});
        assertThat(s.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(s.defaultErrnoRet()).isEqualTo(1);
        assertThat(allowed(s)).contains("read", "write", "openat", "execve", "futex", "epoll_wait", "mmap",
                "arch_prctl", "ptrace", "io_uring_setup", "wait4")
                .doesNotContain("mount", "umount2", "unshare", "setns", "keyctl", "add_key", "request_key",
                        "kcmp", "userfaultfd", "move_pages", "perf_event_open", "bpf", "init_module",
                        "finit_module", "delete_module", "clock_settime", "settimeofday", "reboot", "kexec_load",
                        "swapon", "swapoff", "acct", "open_by_handle_at", "clone", "clone3", "socket",
                        "personality");
        // libc's clone3 is told "not implemented", so it falls back to clone, allowed without namespaces
        assertThat(s.syscalls()).anyMatch(r -> r.names().equals(List.of("clone3"))
                && r.action().equals("SCMP_ACT_ERRNO") && r.errnoRet() == 38);
        assertThat(s.syscalls()).anyMatch(r -> r.names().equals(List.of("clone")) && r.args() != null
                && r.args().getFirst().op().equals("SCMP_CMP_MASKED_EQ")
                && (r.args().getFirst().value() & 0x10000000L) != 0 && (r.args().getFirst().value() & 0x20000000L) != 0);
        assertThat(s.syscalls()).anyMatch(r -> r.names().equals(List.of("socket")) && r.args() != null
                && r.args().getFirst().value() == 40 && r.args().getFirst().op().equals("SCMP_CMP_NE"));
    }

    @Test
    void capabilitiesAllowTheirSyscalls_andOldKernelsRefusePtrace() {
        List<String> caps = new java.util.ArrayList<>(SpecGenerator.DEFAULT_CAPABILITIES);
        caps.add("CAP_SYS_ADMIN");
        caps.add("CAP_SYS_PTRACE");
        caps.add("CAP_SYS_TIME");
        LinuxSeccomp s = Seccomp.defaultProfile(caps, new int[] {6, 1});
        assertThat(allowed(s)).contains("mount", "unshare", "setns", "clone", "clone3", "kcmp", "clock_settime",
                "perf_event_open").doesNotContain("keyctl", "reboot", "init_module");
        assertThat(s.syscalls()).noneMatch(r -> r.names().equals(List.of("clone3"))
                && r.action().equals("SCMP_ACT_ERRNO"));
        assertThat(allowed(Seccomp.defaultProfile(SpecGenerator.DEFAULT_CAPABILITIES, new int[] {4, 4})))
                .doesNotContain("ptrace", "process_vm_readv");
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
