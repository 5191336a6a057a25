package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.model.container.HostConfig;
import dev.wharf.oci.runtime.Linux;
import dev.wharf.oci.runtime.Mount;
import dev.wharf.oci.runtime.Process;
import dev.wharf.oci.runtime.Resources;
import dev.wharf.oci.runtime.Spec;
import dev.wharf.engine.spec.Capabilities;
import dev.wharf.runtime.spec.HostDevices;
import dev.wharf.runtime.spec.HostLimits;
import dev.wharf.engine.spec.SpecGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a container's HostConfig limits and confinement to its generated OCI spec: cgroup
 * resources and rlimits ({@link ResourceLimits}), shm size, capabilities, --privileged, devices, no-new-privileges, sysctls,
 * extra groups, shared namespaces and --init. {@link #validate} runs at create, so a request the
 * host cannot grant is a 400 with a clear message and nothing is made.
 */
final class HostConfinement {

    /** Where Docker binds its init (tini) in the container. */
    static final String INIT_PATH = "/sbin/docker-init";
    static final Path INIT_BINARY = Path.of("/usr/bin/tini-static");
    private static final Path HOST_DEV = Path.of("/dev");

    private HostConfinement() {}

    /** Rejects what cannot be granted; changes nothing. */
    static void validate(HostConfig hc) {
        if (hc == null) {
            return;
        }
        HostOptions h = HostOptions.of(hc);
        ResourceLimits.rlimits(h.ulimits(), HostLimits.hard());
        Capabilities.tweak(SpecGenerator.DEFAULT_CAPABILITIES, h.capAdd(), h.capDrop(), Capabilities.hostBounding());
        sysctls(hc, h);
        HostOptions.checkIntegers(hc);
        ResourceCheck.check(h.limits(), hc.shmSize(), h.oomScoreAdj());
        long mem = h.limits().memory();
        if (mem > 0 && mem < 6 * 1024 * 1024) {
            throw new InvalidArgumentException("Minimum memory limit allowed is 6MB");
        }
        long swap = h.limits().memorySwap();
        if (swap > 0 && mem > 0 && swap < mem) {
            throw new InvalidArgumentException(
                    "Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (h.limits().nanoCpus() > 0 && h.limits().cpuQuota() > 0) {
            throw new InvalidArgumentException("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        if (h.limits().nanoCpus() > cpus * 1_000_000_000L) {
            throw new InvalidArgumentException("Range of CPUs is from 0.01 to " + cpus + ".00, as there are only "
                    + cpus + " CPUs available");
        }
        for (HostOptions.Device d : h.devices()) {
            checkDevice(d);
        }
        DevicePolicy.cgroupRules(h.deviceCgroupRules());
        String cgroupns = h.cgroupnsMode();
        if (cgroupns != null && !List.of("", "host", "private").contains(cgroupns)) {
            throw new InvalidArgumentException("invalid cgroup namespace mode: " + cgroupns);
        }
        dev.wharf.engine.spec.Seccomp.validate(h.securityOpt());
        for (String opt : h.securityOpt()) {
            String o = opt.replace('=', ':');
            if (!(o.equals("no-new-privileges") || o.equals("no-new-privileges:true")
                    || o.equals("no-new-privileges:false") || o.startsWith("seccomp:")
                    || o.equals("systempaths:unconfined")
                    || o.startsWith("apparmor:") || o.startsWith("label:"))) {
                throw new InvalidArgumentException("Invalid --security-opt: \"" + opt + "\"");
            }
        }
    }

    /**
     * The HostConfig with Docker's default {@code CgroupnsMode} filled in when the request left it
     * empty, as moby's {@code adaptContainerSettings}: private on a cgroup v2 host; host on v1,
     * where a private namespace would hide the paths tools of the v1 era look for.
     */
    static HostConfig withCgroupnsDefault(HostConfig hc, boolean cgroupV2) {
        String mode = HostOptions.of(hc).cgroupnsMode();
        if (mode != null && !mode.isEmpty()) {
            return hc;
        }
        Map<String, Object> other = new LinkedHashMap<>(hc.other());
        other.put("CgroupnsMode", cgroupV2 ? "private" : "host");
        return hc.withOther(other);
    }

    /**
     * Whether the container gets a cgroup namespace of its own: its {@code CgroupnsMode}, or, for
     * a container created before the mode was recorded, the host's default.
     */
    static boolean privateCgroupns(HostOptions h, boolean cgroupV2) {
        String mode = h.cgroupnsMode();
        return switch (mode == null ? "" : mode) {
            case "private" -> true;
            case "host" -> false;
            default -> cgroupV2;
        };
    }

    /**
     * {@code --domainname}: the UTS namespace's NIS domain name, set as the kernel.domainname sysctl
     * (runc 1.1 has no spec field for it). Nothing with {@code --uts host}: the host's stays.
     */
    static Spec withDomainname(Spec spec, String domainname) {
        Linux l = spec.linux();
        if (domainname == null || domainname.isEmpty()
                || l.namespaces().stream().noneMatch(n -> n.type().equals("uts") && n.path() == null)) {
            return spec;
        }
        Map<String, String> sysctl = new java.util.LinkedHashMap<>(l.sysctl() == null ? Map.of() : l.sysctl());
        sysctl.put("kernel.domainname", domainname);
        return spec.withLinux(new Linux(l.namespaces(), l.uidMappings(), l.gidMappings(), l.devices(),
                l.cgroupsPath(), l.resources(), sysctl, l.rootfsPropagation(), l.maskedPaths(),
                l.readonlyPaths(), l.mountLabel()));
    }

    /** The spec with these namespaces ({@code type -> /proc/PID/ns/type}) joined rather than made new. */
    static Spec joinNamespaces(Spec spec, Map<String, String> paths) {
        if (paths.isEmpty()) {
            return spec;
        }
        Linux l = spec.linux();
        List<Linux.Namespace> ns = new ArrayList<>();
        for (Linux.Namespace n : l.namespaces()) {
            ns.add(paths.containsKey(n.type()) ? new Linux.Namespace(n.type(), paths.get(n.type())) : n);
        }
        return spec.withLinux(new Linux(List.copyOf(ns), l.uidMappings(), l.gidMappings(), l.devices(),
                l.cgroupsPath(), l.resources(), l.sysctl(), l.rootfsPropagation(), l.maskedPaths(),
                l.readonlyPaths(), l.mountLabel()));
    }

    static Spec apply(Spec spec, HostConfig hc, HostOptions h) {
        if (hc == null) {
            return spec;
        }
        boolean privileged = hc.privileged();
        Process p = spec.process();
        List<String> caps = privileged ? Capabilities.hostBounding()
                : Capabilities.tweak(SpecGenerator.DEFAULT_CAPABILITIES, h.capAdd(), h.capDrop(),
                        Capabilities.hostBounding());
        List<String> args = p.args();
        if (h.init()) {
            List<String> a = new ArrayList<>(List.of(INIT_PATH, "--"));
            a.addAll(args);
            args = a;
        }
        boolean nnp = h.securityOpt().stream().map(s -> s.replace('=', ':'))
                .anyMatch(s -> s.equals("no-new-privileges") || s.equals("no-new-privileges:true"));
        List<Process.Rlimit> rl = ResourceLimits.rlimits(h.ulimits(), Map.of());
        Process.User user = p.user();
        List<Long> gids = new ArrayList<>(user.additionalGids() == null ? List.of() : user.additionalGids());
        for (String g : h.groupAdd()) {
            gids.add(groupId(g, Path.of(spec.root().path())));
        }
        Integer oomAdj = (int) h.oomScoreAdj() != 0 ? (int) h.oomScoreAdj() : null;
        p = new Process(p.terminal(), p.consoleSize(),
                new Process.User(user.uid(), user.gid(), user.umask(), gids.isEmpty() ? null : List.copyOf(gids)),
                args, p.env(), p.cwd(), SpecGenerator.capabilities(caps, (int) user.uid()),
                rl.isEmpty() ? p.rlimits() : rl, nnp ? Boolean.TRUE : p.noNewPrivileges(), p.apparmorProfile(),
                oomAdj, p.selinuxLabel());
        Linux l = spec.linux();
        List<Linux.Device> devices = new ArrayList<>(l.devices() == null ? List.of() : l.devices());
        List<Resources.DeviceRule> rules = new ArrayList<>(
                l.resources() == null || l.resources().devices() == null ? List.of() : l.resources().devices());
        for (HostOptions.Device d : h.devices()) {
            addDevice(d, devices, rules);
        }
        rules.addAll(DevicePolicy.cgroupRules(h.deviceCgroupRules()));
        if (privileged) {
            rules = new ArrayList<>(List.of(new Resources.DeviceRule(true, "a", null, null, "rwm")));
            devices = withHostDevices(devices);
        }
        Resources res = ResourceLimits.withDevices(ResourceLimits.limits(h.limits()), rules);
        List<Linux.Namespace> ns = new ArrayList<>(l.namespaces());
        if (h.hostIpc()) {
            ns.removeIf(n -> n.type().equals("ipc"));
        }
        if (h.hostPid()) {
            ns.removeIf(n -> n.type().equals("pid"));
        }
        if (h.hostUts()) {
            ns.removeIf(n -> n.type().equals("uts"));
        }
        Map<String, String> sysctl = new LinkedHashMap<>(l.sysctl() == null ? Map.of() : l.sysctl());
        if (ownNetworkNamespace(hc.networkMode())) {
            sysctl.putAll(NetSysctlDefaults.VALUES);
        }
        sysctl.putAll(sysctls(hc, h));
        l = new Linux(List.copyOf(ns), l.uidMappings(), l.gidMappings(), devices, l.cgroupsPath(), res,
                sysctl.isEmpty() ? null : sysctl, l.rootfsPropagation(),
                privileged || systemPathsUnconfined(h) ? null : DevicePolicy.paths(h.maskedPaths(), l.maskedPaths()),
                privileged || systemPathsUnconfined(h) ? null : DevicePolicy.paths(h.readonlyPaths(),
                        l.readonlyPaths()), l.mountLabel());
        List<Mount> mounts = new ArrayList<>();
        long shm = hc.shmSize() == null ? 0 : hc.shmSize();
        for (Mount m : spec.mounts()) {
            if (m.destination().equals("/dev/shm") && shm > 0) {
                List<String> opts = new ArrayList<>(m.options().stream().filter(x -> !x.startsWith("size=")).toList());
                opts.add("size=" + shm);
                m = new Mount(m.destination(), m.type(), m.source(), opts);
            } else if (privileged && m.destination().equals("/sys")) {
                m = new Mount(m.destination(), m.type(), m.source(),
                        m.options().stream().filter(x -> !x.equals("ro")).toList());
            }
            mounts.add(m);
        }
        if (h.init()) {
            mounts.add(new Mount(INIT_PATH, "bind", INIT_BINARY.toString(), List.of("bind", "ro", "nosuid", "nodev")));
        }
        l = l.withSeccomp(dev.wharf.engine.spec.Seccomp.forContainer(h.securityOpt(), caps,
                privileged));
        Spec out = spec.withProcess(p).withLinux(l).withMounts(List.copyOf(mounts));
        if (!h.annotations().isEmpty()) {
            Map<String, String> annotations = new LinkedHashMap<>(out.annotations() == null ? Map.of()
                    : out.annotations());
            annotations.putAll(h.annotations());
            out = new Spec(out.ociVersion(), out.process(), out.root(), out.hostname(), out.mounts(), out.hooks(),
                    annotations, out.linux());
        }
        if (h.hostUts()) {
            // runc refuses to set a hostname without a UTS namespace of the container's own.
            out = new Spec(out.ociVersion(), out.process(), out.root(), null, out.mounts(), out.hooks(),
                    out.annotations(), out.linux());
        }
        return out;
    }

    /**
     * The container's cgroup, as runc's {@code cgroupsPath}: {@code /wharf/<id>}, or under the
     * {@code --cgroup-parent} given (a relative parent hangs from the root, as Docker's cgroupfs driver).
     */
    static String cgroupsPath(HostOptions h, ContainerId id) {
        String parent = h.cgroupParent();
        if (parent == null || parent.isBlank()) {
            parent = "/wharf";
        }
        parent = parent.startsWith("/") ? parent : "/" + parent;
        return (parent.endsWith("/") ? parent : parent + "/") + id.value();
    }

    /** {@code --security-opt systempaths=unconfined}: /proc and /sys neither masked nor read-only. */
    static boolean systemPathsUnconfined(HostOptions h) {
        return h.securityOpt().stream().anyMatch(s -> s.replace(':', '=').equals("systempaths=unconfined"));
    }

    // ---- sysctls, devices, groups ----

    /** Whether the container gets a network namespace of its own: not with host's nor another container's. */
    static boolean ownNetworkNamespace(String networkMode) {
        return !"host".equals(networkMode) && (networkMode == null || !networkMode.startsWith("container:"));
    }

    /**
     * The sysctls Docker writes in a network namespace of the container's own, so that a process
     * that is not root may do what the capabilities it lacks would otherwise forbid, and the
     * user's {@code --sysctl} may set back: bind a port below 1024 (a web server as {@code USER
     * node} on port 80) and send ICMP echo without CAP_NET_RAW ({@code ping}). Each only when the
     * kernel has it; ping sockets not inside a user namespace, where the group range cannot name
     * the host's groups.
     */
    static final class NetSysctlDefaults {
        static final Map<String, String> VALUES = values();

        private NetSysctlDefaults() {}

        private static Map<String, String> values() {
            Map<String, String> v = new LinkedHashMap<>();
            Path sys = Path.of("/proc/sys/net/ipv4");
            if (Files.exists(sys.resolve("ping_group_range")) && !inUserNamespace()) {
                v.put("net.ipv4.ping_group_range", "0 2147483647");
            }
            if (Files.exists(sys.resolve("ip_unprivileged_port_start"))) {
                v.put("net.ipv4.ip_unprivileged_port_start", "0");
            }
            return Map.copyOf(v);
        }

        /** Outside a user namespace, uid_map maps all of 0..2^32-1 onto itself. */
        private static boolean inUserNamespace() {
            try {
                String[] f = Files.readString(Path.of("/proc/self/uid_map")).trim().split("\\s+");
                return !(f.length == 3 && f[0].equals("0") && f[1].equals("0") && f[2].equals("4294967295"));
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }

    static Map<String, String> sysctls(HostConfig hc, HostOptions h) {
        Map<String, String> out = new LinkedHashMap<>();
        boolean hostNet = "host".equals(hc.networkMode());
        for (Map.Entry<String, String> e : h.sysctls().entrySet()) {
            String k = e.getKey();
            boolean ipc = k.startsWith("kernel.msg") || k.startsWith("kernel.shm") || k.equals("kernel.sem")
                    || k.startsWith("fs.mqueue.");
            boolean net = k.startsWith("net.");
            if (!ipc && !net) {
                throw new InvalidArgumentException("sysctl '" + k + "' is not allowed");
            }
            if (net && hostNet) {
                throw new InvalidArgumentException("sysctl '" + k
                        + "' not allowed with host net enabled");
            }
            if (ipc && h.hostIpc()) {
                throw new InvalidArgumentException("sysctl '" + k + "' is not allowed in host IPC namespace");
            }
            out.put(k, e.getValue());
        }
        return out;
    }

    /** At create: the mapping is well formed and names something on the host that is not a directory. */
    private static void checkDevice(HostOptions.Device d) {
        if (d.invalid() != null) {
            throw new InvalidArgumentException("invalid device mapping: " + d.invalid());
        }
        String problem = switch (HostDevices.probe(Path.of(d.pathOnHost()))) {
            case MISSING -> "no such file or directory";
            case DIRECTORY -> "not a device node";
            case OTHER -> null;
        };
        if (problem != null) {
            throw new InvalidArgumentException("error gathering device information while adding custom device \""
                    + Path.of(d.pathOnHost()) + "\": " + problem);
        }
    }

    private static void addDevice(HostOptions.Device d, List<Linux.Device> devices, List<Resources.DeviceRule> rules) {
        if (d.invalid() != null) {
            throw new InvalidArgumentException("invalid device mapping: " + d.invalid());
        }
        Path host = Path.of(d.pathOnHost());
        String inCtr = d.pathInContainer() == null ? host.toString() : d.pathInContainer();
        String problem;
        try {
            Optional<Linux.Device> node = HostDevices.node(host, inCtr);
            if (node.isPresent()) {
                Linux.Device dev = node.get();
                devices.add(new Linux.Device(dev.path(), dev.type(), dev.major(), dev.minor(), dev.fileMode() & 0777,
                        dev.uid(), dev.gid()));
                rules.add(new Resources.DeviceRule(true, dev.type(), dev.major(), dev.minor(), d.cgroupPermissions()));
                return;
            }
            problem = "not a device node";
        } catch (NoSuchFileException e) {
            problem = "no such file or directory";
        } catch (IOException e) {
            problem = e.getMessage();
        }
        throw new InvalidArgumentException("error gathering device information while adding custom device \""
                + host + "\": " + problem);
    }

    /**
     * {@code --privileged}: every device node of the host's /dev, as Docker gives it, after the
     * defaults and any {@code --device} mappings already there (the first at a path wins).
     */
    private static List<Linux.Device> withHostDevices(List<Linux.Device> devices) {
        List<Linux.Device> out = new ArrayList<>(devices);
        java.util.Set<String> paths = new java.util.HashSet<>();
        devices.forEach(d -> paths.add(d.path()));
        try {
            for (Linux.Device d : HostDevices.list(HOST_DEV)) {
                if (paths.add(d.path())) {
                    out.add(d);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list the host's devices: " + e.getMessage(), e);
        }
        return out;
    }

    /** A numeric gid, or a group name looked up in the container's /etc/group. */
    private static long groupId(String g, Path rootfs) {
        try {
            return Long.parseLong(g);
        } catch (NumberFormatException notNumeric) {
            try {
                for (String line : Files.readAllLines(rootfs.resolve("etc/group"))) {
                    String[] f = line.split(":");
                    if (f.length > 2 && f[0].equals(g)) {
                        return Long.parseLong(f[2]);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // fall through
            }
            throw new InvalidArgumentException("Unable to find group " + g + ": no matching entries in group file");
        }
    }
}
