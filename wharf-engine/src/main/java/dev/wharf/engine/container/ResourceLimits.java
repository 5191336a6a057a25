package dev.wharf.engine.container;

import static dev.wharf.engine.container.HostConfinement.list;
import static dev.wharf.engine.container.HostConfinement.num;
import static dev.wharf.engine.container.HostConfinement.str;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.oci.runtime.Process;
import dev.wharf.oci.runtime.Resources;
import dev.wharf.runtime.sys.BlockDevices;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A HostConfig's cgroup limits (memory, CPU, pids, block I/O) and its ulimits, as the OCI spec's
 * {@code linux.resources} and {@code process.rlimits} take them, and as {@code runc update} takes
 * the limits. A block device that is not one, or a ulimit above the host's, is a 400.
 */
final class ResourceLimits {

    private static final Map<String, String> RLIMITS = Map.ofEntries(
            Map.entry("core", "RLIMIT_CORE"), Map.entry("cpu", "RLIMIT_CPU"), Map.entry("data", "RLIMIT_DATA"),
            Map.entry("fsize", "RLIMIT_FSIZE"), Map.entry("locks", "RLIMIT_LOCKS"),
            Map.entry("memlock", "RLIMIT_MEMLOCK"), Map.entry("msgqueue", "RLIMIT_MSGQUEUE"),
            Map.entry("nice", "RLIMIT_NICE"), Map.entry("nofile", "RLIMIT_NOFILE"), Map.entry("nproc", "RLIMIT_NPROC"),
            Map.entry("rss", "RLIMIT_RSS"), Map.entry("rtprio", "RLIMIT_RTPRIO"), Map.entry("rttime", "RLIMIT_RTTIME"),
            Map.entry("sigpending", "RLIMIT_SIGPENDING"), Map.entry("stack", "RLIMIT_STACK"),
            Map.entry("as", "RLIMIT_AS"));

    private ResourceLimits() {}

    /** The cgroup limits of a HostConfig without the device rules, as {@code runc update} takes them. */
    static Resources limits(Map<String, Object> o) {
        return new Resources(null, memory(o), cpu(o), pids(o), blkio(o));
    }

    /** {@code limits} with these device rules. */
    static Resources withDevices(Resources limits, List<Resources.DeviceRule> rules) {
        return new Resources(rules, limits.memory(), limits.cpu(), limits.pids(), limits.blockIo());
    }

    private static Resources.Memory memory(Map<String, Object> o) {
        long mem = num(o.get("Memory"));
        long swap = num(o.get("MemorySwap"));
        long res = num(o.get("MemoryReservation"));
        boolean noOom = Boolean.TRUE.equals(o.get("OomKillDisable"));
        Long swappiness = o.get("MemorySwappiness") instanceof Number n && n.longValue() >= 0 ? n.longValue() : null;
        long tcp = num(o.get("KernelMemoryTCP"));
        if (mem <= 0 && res <= 0 && !noOom && swappiness == null && tcp <= 0) {
            return null;
        }
        Long swapLimit = mem > 0 ? (swap > 0 ? swap : swap == -1 ? -1L : mem * 2) : null;
        return new Resources.Memory(mem > 0 ? mem : null, res > 0 ? res : null, swapLimit, swappiness,
                noOom ? Boolean.TRUE : null, tcp > 0 ? tcp : null);
    }

    private static Resources.Cpu cpu(Map<String, Object> o) {
        long nano = num(o.get("NanoCpus"));
        long shares = num(o.get("CpuShares"));
        long period = num(o.get("CpuPeriod"));
        long quota = num(o.get("CpuQuota"));
        String cpus = str(o.get("CpusetCpus"));
        String mems = str(o.get("CpusetMems"));
        if (nano > 0) {
            period = 100_000;
            quota = nano * period / 1_000_000_000L;
        }
        long rtPeriod = num(o.get("CpuRealtimePeriod"));
        long rtRuntime = num(o.get("CpuRealtimeRuntime"));
        if (shares <= 0 && period <= 0 && quota <= 0 && cpus == null && mems == null && rtPeriod <= 0
                && rtRuntime <= 0) {
            return null;
        }
        return new Resources.Cpu(shares > 0 ? shares : null, quota > 0 ? quota : null, period > 0 ? period : null,
                cpus, mems, rtRuntime > 0 ? rtRuntime : null, rtPeriod > 0 ? rtPeriod : null);
    }

    private static Resources.Pids pids(Map<String, Object> o) {
        long n = num(o.get("PidsLimit"));
        return n > 0 ? new Resources.Pids(n) : null;
    }

    private static Resources.BlockIo blkio(Map<String, Object> o) {
        long w = num(o.get("BlkioWeight"));
        if (w != 0 && (w < 10 || w > 1000)) {
            throw new InvalidArgumentException("Range of blkio weight is from 10 to 1000");
        }
        List<Resources.WeightDevice> weights = new ArrayList<>();
        for (Object d : list(o.get("BlkioWeightDevice"))) {
            long[] dev = blockDevice(d);
            long weight = d instanceof Map<?, ?> m ? num(m.get("Weight")) : 0;
            if (weight < 10 || weight > 1000) {
                throw new InvalidArgumentException("invalid weight for device: " + weight
                        + " (range of blkio weight is from 10 to 1000)");
            }
            weights.add(new Resources.WeightDevice(dev[0], dev[1], (int) weight));
        }
        List<List<Resources.ThrottleDevice>> throttles = new ArrayList<>();
        for (String key : List.of("BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps",
                "BlkioDeviceWriteIOps")) {
            List<Resources.ThrottleDevice> t = new ArrayList<>();
            for (Object d : list(o.get(key))) {
                long[] dev = blockDevice(d);
                t.add(new Resources.ThrottleDevice(dev[0], dev[1], d instanceof Map<?, ?> m ? num(m.get("Rate")) : 0));
            }
            throttles.add(t.isEmpty() ? null : List.copyOf(t));
        }
        if (w == 0 && weights.isEmpty() && throttles.stream().allMatch(java.util.Objects::isNull)) {
            return null;
        }
        return new Resources.BlockIo(w == 0 ? null : (int) w, weights.isEmpty() ? null : List.copyOf(weights),
                throttles.get(0), throttles.get(1), throttles.get(2), throttles.get(3));
    }

    /** The {major, minor} of a {@code {"Path": "/dev/sda", ...}} entry; 400 when it names no block device. */
    private static long[] blockDevice(Object entry) {
        String path = entry instanceof Map<?, ?> m && m.get("Path") instanceof String p ? p : "";
        try {
            return BlockDevices.numbers(path);
        } catch (IOException e) {
            throw new InvalidArgumentException("invalid block device " + (path.isEmpty() ? "\"\"" : path) + ": "
                    + e.getMessage());
        }
    }

    /** The Ulimits of a request as OCI rlimits; any above {@code hard} (when given) is refused. */
    static List<Process.Rlimit> rlimits(Map<String, Object> o, Map<String, Long> hard) {
        List<Process.Rlimit> out = new ArrayList<>();
        for (Object u : list(o.get("Ulimits"))) {
            if (!(u instanceof Map<?, ?> m)) {
                throw new InvalidArgumentException("invalid ulimit: " + u);
            }
            String name = String.valueOf(m.get("Name"));
            String type = RLIMITS.get(name.toLowerCase(Locale.ROOT));
            if (type == null) {
                throw new InvalidArgumentException("invalid ulimit type: " + name);
            }
            long soft = num(m.get("Soft"));
            long h = num(m.get("Hard"));
            if (soft > h && h >= 0) {
                throw new InvalidArgumentException("ulimit soft limit must be less than or equal to hard limit: "
                        + soft + " > " + h);
            }
            Long max = hard.get(type);
            if (max != null && max >= 0 && (h < 0 || h > max)) {
                throw new InvalidArgumentException("ulimit " + name + "=" + soft + ":" + h
                        + " is above this host's hard limit of " + max
                        + " for " + name + "; raising a hard limit is refused even for root here");
            }
            out.add(new Process.Rlimit(type, h, soft));
        }
        return out;
    }
}
