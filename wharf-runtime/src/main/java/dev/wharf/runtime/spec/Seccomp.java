package dev.wharf.runtime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.oci.runtime.LinuxSeccomp;
import dev.wharf.oci.runtime.LinuxSeccomp.Arg;
import dev.wharf.oci.runtime.LinuxSeccomp.Syscall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seccomp filters. Wharf's default profile allows every syscall but those Docker's default
 * denies for what they reach outside the container: mounting, new namespaces, the kernel
 * keyring, kernel modules, setting the clock, reboot and kexec, swap, bpf and perf, raw I/O and
 * the like; each fails with EPERM, and {@code clone3} with ENOSYS so libc falls back to
 * {@code clone}, whose namespace flags are checked. As in Docker's, a syscall stays allowed when
 * the container holds the capability that guards it ({@code --cap-add SYS_ADMIN} allows mount).
 * {@code --security-opt seccomp=PROFILE.json} takes a profile in Docker's format (the docker CLI
 * sends the file's contents); {@code seccomp=unconfined} and {@code --privileged} run without one.
 */
public final class Seccomp {

    private static final int EPERM = 1;
    private static final int ENOSYS = 38;
    private static final List<String> ARCHES = List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME. */
    static final long[] CLONE_NS_FLAGS = {0x00020000L, 0x02000000L, 0x04000000L, 0x08000000L, 0x10000000L,
        0x20000000L, 0x40000000L, 0x00000080L};

    /** Denied syscalls, each group allowed again by the capability named first ("" = never). */
    private static final Map<String, List<String>> DENIED = new LinkedHashMap<>();

    static {
        DENIED.put("CAP_SYS_ADMIN", List.of("mount", "umount", "umount2", "pivot_root", "move_mount", "open_tree",
                "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr", "unshare", "setns", "swapon", "swapoff",
                "quotactl", "quotactl_fd", "lookup_dcookie", "fanotify_init", "bpf", "perf_event_open", "vm86",
                "vm86old"));
        DENIED.put("CAP_DAC_READ_SEARCH", List.of("open_by_handle_at"));
        DENIED.put("", List.of("keyctl", "add_key", "request_key", "nfsservctl", "create_module",
                "get_kernel_syms", "query_module", "uselib", "_sysctl", "sysfs", "ustat", "io_uring_setup",
                "io_uring_enter", "io_uring_register"));
        DENIED.put("CAP_SYS_MODULE", List.of("init_module", "finit_module", "delete_module"));
        DENIED.put("CAP_SYS_TIME", List.of("clock_settime", "clock_settime64", "settimeofday", "stime"));
        DENIED.put("CAP_SYS_BOOT", List.of("reboot", "kexec_load", "kexec_file_load"));
        DENIED.put("CAP_SYS_PACCT", List.of("acct"));
        DENIED.put("CAP_SYS_RAWIO", List.of("iopl", "ioperm"));
        DENIED.put("CAP_SYS_PTRACE", List.of("kcmp", "process_vm_readv", "process_vm_writev", "userfaultfd"));
        DENIED.put("CAP_SYS_NICE", List.of("get_mempolicy", "set_mempolicy", "mbind", "move_pages"));
        DENIED.put("CAP_SYSLOG", List.of("syslog"));
        DENIED.put("CAP_SYS_TTY_CONFIG", List.of("vhangup"));
    }

    private Seccomp() {
    }

    /**
     * The filter for a container, or null for none.
     *
     * @param securityOpts HostConfig.SecurityOpt
     * @param caps         the container's effective capabilities ({@code CAP_…})
     */
    public static LinuxSeccomp forContainer(List<String> securityOpts, List<String> caps, boolean privileged) {
        String opt = seccompOption(securityOpts);
        if (opt != null && opt.equals("unconfined") || privileged && opt == null) {
            return null;
        }
        if (opt != null && !opt.isEmpty() && !opt.equals("builtin")) {
            return fromDocker(profileText(opt), caps, kernel());
        }
        return defaultProfile(caps, kernel());
    }

    /** Rejects a seccomp option that is not unconfined, builtin or a readable profile (at create). */
    public static void validate(List<String> securityOpts) {
        String opt = seccompOption(securityOpts);
        if (opt != null && !opt.isEmpty() && !opt.equals("unconfined") && !opt.equals("builtin")) {
            fromDocker(profileText(opt), List.of(), kernel());
        }
    }

    /** The value of {@code seccomp=…} (or {@code seccomp:…}), or null when none is given. */
    static String seccompOption(List<String> securityOpts) {
        String v = null;
        for (String o : securityOpts == null ? List.<String>of() : securityOpts) {
            if (o.startsWith("seccomp=") || o.startsWith("seccomp:")) {
                v = o.substring("seccomp=".length()).trim();
            }
        }
        return v;
    }

    /** A profile's JSON: the docker CLI sends the file's contents; a path on the daemon's host works too. */
    private static String profileText(String opt) {
        if (opt.startsWith("{")) {
            return opt;
        }
        try {
            return Files.readString(Path.of(opt));
        } catch (IOException | RuntimeException e) {
            throw new InvalidArgumentException("opening seccomp profile (" + opt + ") failed: " + e.getMessage());
        }
    }

    public static LinuxSeccomp defaultProfile(List<String> caps, int[] kernel) {
        List<Syscall> rules = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : DENIED.entrySet()) {
            if (e.getKey().isEmpty() || !caps.contains(e.getKey())) {
                rules.add(new Syscall(e.getValue(), "SCMP_ACT_ERRNO", EPERM, null));
            }
        }
        if (!caps.contains("CAP_SYS_PTRACE") && (kernel[0] < 4 || kernel[0] == 4 && kernel[1] < 8)) {
            // before 4.8 ptrace could be used to bypass seccomp
            rules.add(new Syscall(List.of("ptrace"), "SCMP_ACT_ERRNO", EPERM, null));
        }
        if (!caps.contains("CAP_SYS_ADMIN")) {
            rules.add(new Syscall(List.of("clone3"), "SCMP_ACT_ERRNO", ENOSYS, null));
            for (long flag : CLONE_NS_FLAGS) {
                rules.add(new Syscall(List.of("clone"), "SCMP_ACT_ERRNO", EPERM,
                        List.of(new Arg(0, flag, flag, "SCMP_CMP_MASKED_EQ"))));
            }
        }
        return new LinuxSeccomp("SCMP_ACT_ALLOW", null, ARCHES, List.copyOf(rules));
    }

    /**
     * A profile in Docker's format ({@code defaultAction}, {@code architectures} or
     * {@code archMap}, {@code syscalls[]} with {@code names}/{@code name}, {@code action},
     * {@code errnoRet}, {@code args}, {@code includes}/{@code excludes} on caps, arches and
     * minKernel) as the OCI filter.
     */
    static LinuxSeccomp fromDocker(String json, List<String> caps, int[] kernel) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new InvalidArgumentException("Decoding seccomp profile failed: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject() || !root.path("defaultAction").isTextual()) {
            throw new InvalidArgumentException("Decoding seccomp profile failed: defaultAction is required");
        }
        List<String> arches = new ArrayList<>();
        root.path("architectures").forEach(a -> arches.add(a.asText()));
        for (JsonNode m : root.path("archMap")) {
            String a = m.path("architecture").asText();
            if (ARCHES.contains(a)) {
                arches.add(a);
                m.path("subArchitectures").forEach(x -> arches.add(x.asText()));
            }
        }
        List<Syscall> rules = new ArrayList<>();
        for (JsonNode sc : root.path("syscalls")) {
            if (!applies(sc.path("includes"), caps, kernel, true) || !applies(sc.path("excludes"), caps, kernel, false)) {
                continue;
            }
            List<String> names = new ArrayList<>();
            sc.path("names").forEach(n -> names.add(n.asText()));
            if (sc.path("name").isTextual()) {
                names.add(sc.path("name").asText());
            }
            String action = sc.path("action").asText("");
            if (names.isEmpty() || !action.startsWith("SCMP_ACT_")) {
                throw new InvalidArgumentException("Decoding seccomp profile failed: a rule needs names and an action");
            }
            List<Arg> args = new ArrayList<>();
            for (JsonNode a : sc.path("args")) {
                args.add(new Arg(a.path("index").asInt(), a.path("value").asLong(), a.path("valueTwo").asLong(),
                        a.path("op").asText()));
            }
            Integer errno = sc.path("errnoRet").isNumber() ? sc.path("errnoRet").asInt() : null;
            rules.add(new Syscall(names, action, errno, args.isEmpty() ? null : args));
        }
        Integer defErrno = root.path("defaultErrnoRet").isNumber() ? root.path("defaultErrnoRet").asInt() : null;
        return new LinuxSeccomp(root.path("defaultAction").asText(), defErrno, arches.isEmpty() ? ARCHES : arches,
                rules);
    }

    /** Docker's includes (all must hold) and excludes (none may hold) on caps, arches and minKernel. */
    private static boolean applies(JsonNode f, List<String> caps, int[] kernel, boolean include) {
        if (f == null || f.isMissingNode() || f.isNull() || f.isEmpty()) {
            return true;
        }
        boolean capHit = false;
        boolean capsGiven = f.path("caps").size() > 0;
        for (Iterator<JsonNode> it = f.path("caps").elements(); it.hasNext();) {
            if (caps.contains(it.next().asText())) {
                capHit = true;
            }
        }
        boolean archHit = false;
        boolean archGiven = f.path("arches").size() > 0;
        for (JsonNode a : f.path("arches")) {
            if (a.asText().equals("amd64") || a.asText().equals("x86_64")) {
                archHit = true;
            }
        }
        boolean kernelGiven = f.path("minKernel").isTextual();
        boolean kernelHit = kernelGiven && atLeast(kernel, f.path("minKernel").asText());
        if (include) {
            return (!capsGiven || capHit) && (!archGiven || archHit) && (!kernelGiven || kernelHit);
        }
        return !(capsGiven && capHit || archGiven && archHit || kernelGiven && kernelHit);
    }

    private static boolean atLeast(int[] kernel, String min) {
        String[] p = min.split("\\.");
        int major = Integer.parseInt(p[0]);
        int minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
        return kernel[0] > major || kernel[0] == major && kernel[1] >= minor;
    }

    /** The running kernel's major and minor version. */
    static int[] kernel() {
        String v = System.getProperty("os.version", "0.0");
        String[] p = v.split("[.-]");
        try {
            return new int[] {Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0};
        } catch (NumberFormatException e) {
            return new int[] {0, 0};
        }
    }
}
