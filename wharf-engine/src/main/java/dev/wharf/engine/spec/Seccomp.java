package dev.wharf.engine.spec;

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
 * Seccomp filters. Wharf's default profile is an allowlist, as Docker's and Podman's are: the
 * syscalls a container may make are listed in {@code seccomp-default.txt} (grouped by the
 * capability, kernel or architecture that allows them), and every other one, unknown and future
 * ones included, fails with EPERM. {@code clone} is allowed without namespace flags and
 * {@code clone3} fails with ENOSYS, so that libc falls back to {@code clone}, unless the
 * container holds CAP_SYS_ADMIN; {@code socket} is allowed but for AF_VSOCK, {@code personality}
 * for the harmless personas. {@code --security-opt seccomp=PROFILE.json} takes a profile in
 * Docker's format (the docker CLI sends the file's contents); {@code seccomp=unconfined} and
 * {@code --privileged} run without one.
 */
public final class Seccomp {

    private static final int EPERM = 1;
    private static final int ENOSYS = 38;
    private static final int AF_VSOCK = 40;
    private static final List<String> ARCHES = List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET: what clone may not ask for. */
    static final long CLONE_NS_MASK = 0x7E020000L;
    /** Personas a container may switch to: Linux, with UNAME26, READ_IMPLIES_EXEC…, and the query. */
    private static final long[] PERSONALITIES = {0x0L, 0x8L, 0x20000L, 0x20008L, 0xFFFFFFFFL};

    /** The allowlist's sections, in file order: header ("always", "cap CAP_X", …) to names. */
    private static final Map<String, List<String>> ALLOWED = readAllowlist();

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
        java.util.Set<String> allowed = new java.util.TreeSet<>();
        for (Map.Entry<String, List<String>> e : ALLOWED.entrySet()) {
            String[] h = e.getKey().split(" ", 2);
            boolean applies = switch (h[0]) {
                case "always" -> true;
                case "kernel" -> atLeast(kernel, h[1]);
                case "arch" -> h[1].equals("amd64");
                case "cap" -> caps.contains(h[1]);
                default -> throw new IllegalStateException("seccomp-default.txt: unknown section " + e.getKey());
            };
            if (applies) {
                allowed.addAll(e.getValue());
            }
        }
        List<Syscall> rules = new ArrayList<>();
        rules.add(new Syscall(List.copyOf(allowed), "SCMP_ACT_ALLOW", null, null));
        rules.add(new Syscall(List.of("socket"), "SCMP_ACT_ALLOW", null,
                List.of(new Arg(0, AF_VSOCK, 0, "SCMP_CMP_NE"))));
        for (long p : PERSONALITIES) {
            rules.add(new Syscall(List.of("personality"), "SCMP_ACT_ALLOW", null,
                    List.of(new Arg(0, p, 0, "SCMP_CMP_EQ"))));
        }
        if (!caps.contains("CAP_SYS_ADMIN")) {
            rules.add(new Syscall(List.of("clone"), "SCMP_ACT_ALLOW", null,
                    List.of(new Arg(0, CLONE_NS_MASK, 0, "SCMP_CMP_MASKED_EQ"))));
            rules.add(new Syscall(List.of("clone3"), "SCMP_ACT_ERRNO", ENOSYS, null));
        }
        return new LinuxSeccomp("SCMP_ACT_ERRNO", EPERM, ARCHES, List.copyOf(rules));
    }

    private static Map<String, List<String>> readAllowlist() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (var in = Seccomp.class.getResourceAsStream("seccomp-default.txt")) {
            if (in == null) {
                throw new IllegalStateException("seccomp-default.txt is missing from the runtime jar");
            }
            List<String> current = null;
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                if (l.startsWith("[") && l.endsWith("]")) {
                    current = out.computeIfAbsent(l.substring(1, l.length() - 1), k -> new ArrayList<>());
                } else if (current != null) {
                    current.addAll(List.of(l.split("\\s+")));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
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
