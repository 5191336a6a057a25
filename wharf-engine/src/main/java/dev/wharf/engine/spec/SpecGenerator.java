package dev.wharf.engine.spec;

import dev.wharf.oci.runtime.Linux;
import dev.wharf.oci.runtime.Mount;
import dev.wharf.oci.runtime.Process;
import dev.wharf.oci.runtime.Resources;
import dev.wharf.oci.runtime.Root;
import dev.wharf.oci.runtime.Spec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link SpecInput} into an OCI runtime spec with Docker's default confinement (moby
 * {@code oci/defaults.go}, {@code oci/caps}, {@code daemon/oci_linux.go}). A pure function.
 */
public final class SpecGenerator {

    /** Docker's default capability set. */
    public static final List<String> DEFAULT_CAPABILITIES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /** Docker's masked paths. */
    public static final List<String> MASKED_PATHS = List.of(
            "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
            "/sys/devices/virtual/powercap");

    /** Docker's read-only paths. */
    public static final List<String> READONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    /** The PATH Docker gives a container whose image sets none. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private SpecGenerator() {}

    public static Spec generate(SpecInput in) {
        String cwd = in.cwd() == null || in.cwd().isEmpty() ? "/" : in.cwd();
        Process process = new Process(
                in.terminal() ? Boolean.TRUE : null,
                null,
                new Process.User(in.uid(), in.gid(), null,
                        in.additionalGids().isEmpty() ? null
                                : in.additionalGids().stream().map(Integer::longValue).toList()),
                in.args(),
                environment(in.env(), in.hostname(), in.terminal()),
                cwd,
                capabilities(DEFAULT_CAPABILITIES, in.uid()),
                null,
                false,
                null,
                null,
                null);
        Linux linux = new Linux(
                namespaces(in.network(), in.privateCgroupns()),
                null,
                null,
                defaultDevices(),
                in.cgroupsPath(),
                new Resources(deviceRules(), null, null, null, null),
                null,
                null,
                MASKED_PATHS,
                READONLY_PATHS,
                null);
        return new Spec(
                Spec.VERSION,
                process,
                new Root(in.rootfs().toAbsolutePath().toString(), in.readonlyRootfs() ? Boolean.TRUE : null),
                in.hostname(),
                mounts(in.binds()),
                null,
                in.annotations().isEmpty() ? null : new LinkedHashMap<>(in.annotations()),
                linux);
    }

    /**
     * As moby's {@code oci.SetCapabilities}: root gets the set as bounding, effective and permitted;
     * any other user only as bounding (execve would drop the rest), never inheritable or ambient.
     */
    public static Process.Capabilities capabilities(List<String> caps, int uid) {
        if (uid == 0) {
            return new Process.Capabilities(caps, caps, null, caps, null);
        }
        return new Process.Capabilities(caps, null, null, null, null);
    }

    /**
     * Docker's order: PATH, HOSTNAME and (with a TTY) TERM defaults first, each replaced in place by
     * the container's own value of that key; the container's other variables follow in order.
     */
    static List<String> environment(List<String> env, String hostname, boolean terminal) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("PATH", "PATH=" + DEFAULT_PATH);
        if (hostname != null && !hostname.isEmpty()) {
            out.put("HOSTNAME", "HOSTNAME=" + hostname);
        }
        if (terminal) {
            out.put("TERM", "TERM=xterm");
        }
        for (String e : env) {
            int eq = e.indexOf('=');
            String key = eq < 0 ? e : e.substring(0, eq);
            out.put(key, e);
        }
        return List.copyOf(out.values());
    }

    static List<Linux.Namespace> namespaces(NetworkNamespace network, boolean privateCgroupns) {
        List<Linux.Namespace> ns = new ArrayList<>(List.of(
                Linux.Namespace.of("pid"), Linux.Namespace.of("ipc"), Linux.Namespace.of("uts"),
                Linux.Namespace.of("mount")));
        switch (network) {
            case NetworkNamespace.New n -> ns.add(Linux.Namespace.of("network"));
            case NetworkNamespace.Host h -> { }
            case NetworkNamespace.Path p -> ns.add(new Linux.Namespace("network", p.nsPath()));
        }
        if (privateCgroupns) {
            ns.add(Linux.Namespace.of("cgroup"));
        }
        return List.copyOf(ns);
    }

    static List<Mount> mounts(List<BindFile> binds) {
        List<Mount> m = new ArrayList<>(List.of(
                new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("ro", "nosuid", "noexec", "nodev")),
                new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev/shm", "tmpfs", "shm",
                        List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"))));
        for (BindFile b : binds) {
            // A later mount on the same destination replaces a default one (a tmpfs over /dev/shm, say).
            m.removeIf(x -> x.destination().equals(b.destination()));
            if (b.tmpfs()) {
                // Docker's defaults for --tmpfs and --mount type=tmpfs; "exec" and the like, after, win
                List<String> opts = new ArrayList<>(List.of("noexec", "nosuid", "nodev"));
                opts.addAll(b.options());
                m.add(new Mount(b.destination(), "tmpfs", "tmpfs", opts));
                continue;
            }
            List<String> opts = new ArrayList<>(List.of("rbind"));
            if (b.options().stream().noneMatch(o -> o.matches("r?(shared|slave|private)"))) {
                opts.add("rprivate");
            }
            opts.addAll(b.options());
            if (b.readOnly()) {
                opts.add("ro");
            }
            m.add(new Mount(b.destination(), "bind", b.source().toAbsolutePath().toString(), List.copyOf(opts)));
        }
        return List.copyOf(m);
    }

    /** The device nodes runc creates: null, zero, full, random, urandom, tty. */
    static List<Linux.Device> defaultDevices() {
        return List.of(
                device("/dev/null", 1, 3), device("/dev/zero", 1, 5), device("/dev/full", 1, 7),
                device("/dev/random", 1, 8), device("/dev/urandom", 1, 9), device("/dev/tty", 5, 0));
    }

    private static Linux.Device device(String path, long major, long minor) {
        return new Linux.Device(path, "c", major, minor, 0666, 0L, 0L);
    }

    /** Deny everything, then Docker's (and runc's) default allow-list. */
    static List<Resources.DeviceRule> deviceRules() {
        return List.of(
                new Resources.DeviceRule(false, null, null, null, "rwm"),
                new Resources.DeviceRule(true, "c", null, null, "m"),
                new Resources.DeviceRule(true, "b", null, null, "m"),
                allow(1, 3L), allow(1, 5L), allow(1, 7L), allow(1, 8L), allow(1, 9L), // null zero full random urandom
                allow(5, 0L), allow(5, 1L), allow(5, 2L), // tty console ptmx
                allow(136, null)); // pts
    }

    private static Resources.DeviceRule allow(long major, Long minor) {
        return new Resources.DeviceRule(true, "c", major, minor, "rwm");
    }
}
