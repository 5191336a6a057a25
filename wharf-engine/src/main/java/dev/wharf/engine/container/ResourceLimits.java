package dev.wharf.engine.container;

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
    static Resources limits(HostOptions.Limits o) {
        return new Resources(null, memory(o), cpu(o), pids(o), blkio(o));
    }

    /** {@code limits} with these device rules. */
    static Resources withDevices(Resources limits, List<Resources.DeviceRule> rules) {
        return new Resources(rules, limits.memory(), limits.cpu(), limits.pids(), limits.blockIo());
    }

    private static Resources.Memory memory(HostOptions.Limits o) {
        long mem = o.memory();
        long swap = o.memorySwap();
        long res = o.memoryReservation();
        boolean noOom = Boolean.TRUE.equals(o.oomKillDisable());
        Long swappiness = o.memorySwappiness() != null && o.memorySwappiness() >= 0 ? o.memorySwappiness() : null;
        long tcp = o.kernelMemoryTcp();
        if (mem <= 0 && res <= 0 && !noOom && swappiness == null && tcp <= 0) {
            return null;
        }
        Long swapLimit = mem > 0 ? (swap > 0 ? swap : swap == -1 ? -1L : mem * 2) : null;
        return new Resources.Memory(mem > 0 ? mem : null, res > 0 ? res : null, swapLimit, swappiness,
                noOom ? Boolean.TRUE : null, tcp > 0 ? tcp : null);
    }

    private static Resources.Cpu cpu(HostOptions.Limits o) {
        long nano = o.nanoCpus();
        long shares = o.cpuShares();
        long period = o.cpuPeriod();
        long quota = o.cpuQuota();
        String cpus = o.cpusetCpus();
        String mems = o.cpusetMems();
        if (nano > 0) {
            period = 100_000;
            quota = nano * period / 1_000_000_000L;
        }
        long rtPeriod = o.cpuRealtimePeriod();
        long rtRuntime = o.cpuRealtimeRuntime();
        if (shares <= 0 && period <= 0 && quota <= 0 && cpus == null && mems == null && rtPeriod <= 0
                && rtRuntime <= 0) {
            return null;
        }
        return new Resources.Cpu(shares > 0 ? shares : null, quota > 0 ? quota : null, period > 0 ? period : null,
                cpus, mems, rtRuntime > 0 ? rtRuntime : null, rtPeriod > 0 ? rtPeriod : null);
    }

    private static Resources.Pids pids(HostOptions.Limits o) {
        long n = o.pidsLimit() == null ? 0 : o.pidsLimit();
        return n > 0 ? new Resources.Pids(n) : null;
    }

    private static Resources.BlockIo blkio(HostOptions.Limits o) {
        long w = o.blkioWeight();
        if (w != 0 && (w < 10 || w > 1000)) {
            throw new InvalidArgumentException("Range of blkio weight is from 10 to 1000");
        }
        List<Resources.WeightDevice> weights = new ArrayList<>();
        for (HostOptions.BlkioDevice d : o.blkioWeightDevice()) {
            long[] dev = blockDevice(d.path());
            long weight = d.value();
            if (weight < 10 || weight > 1000) {
                throw new InvalidArgumentException("invalid weight for device: " + weight
                        + " (range of blkio weight is from 10 to 1000)");
            }
            weights.add(new Resources.WeightDevice(dev[0], dev[1], (int) weight));
        }
        List<List<Resources.ThrottleDevice>> throttles = new ArrayList<>();
        for (List<HostOptions.BlkioDevice> devices : List.of(o.blkioDeviceReadBps(), o.blkioDeviceWriteBps(),
                o.blkioDeviceReadIOps(), o.blkioDeviceWriteIOps())) {
            List<Resources.ThrottleDevice> t = new ArrayList<>();
            for (HostOptions.BlkioDevice d : devices) {
                long[] dev = blockDevice(d.path());
                t.add(new Resources.ThrottleDevice(dev[0], dev[1], d.value()));
            }
            throttles.add(t.isEmpty() ? null : List.copyOf(t));
        }
        if (w == 0 && weights.isEmpty() && throttles.stream().allMatch(java.util.Objects::isNull)) {
            return null;
        }
        return new Resources.BlockIo(w == 0 ? null : (int) w, weights.isEmpty() ? null : List.copyOf(weights),
                throttles.get(0), throttles.get(1), throttles.get(2), throttles.get(3));
    }

    /** The {major, minor} of a {@code {"Path": "/dev/sda", ...}} entry's path; 400 when it names no block device. */
    private static long[] blockDevice(String path) {
        try {
            return BlockDevices.numbers(path);
        } catch (IOException e) {
            throw new InvalidArgumentException("invalid block device " + (path.isEmpty() ? "\"\"" : path) + ": "
                    + e.getMessage());
        }
    }

    /** The Ulimits of a request as OCI rlimits; any above {@code hard} (when given) is refused. */
    static List<Process.Rlimit> rlimits(List<HostOptions.Ulimit> ulimits, Map<String, Long> hard) {
        List<Process.Rlimit> out = new ArrayList<>();
        for (HostOptions.Ulimit u : ulimits) {
            if (u.invalid() != null) {
                throw new InvalidArgumentException("invalid ulimit: " + u.invalid());
            }
            String name = u.name();
            String type = RLIMITS.get(name.toLowerCase(Locale.ROOT));
            if (type == null) {
                throw new InvalidArgumentException("invalid ulimit type: " + name);
            }
            long soft = u.soft();
            long h = u.hard();
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
