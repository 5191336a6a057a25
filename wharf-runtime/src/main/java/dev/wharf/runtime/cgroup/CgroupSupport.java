package dev.wharf.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which cgroup limits this host can enforce, probed once from the cgroup filesystem, as moby's
 * {@code pkg/sysinfo} does. runc fails a container start outright when it has to write a limit
 * whose file is missing (a v1 host without the BFQ scheduler has no {@code blkio.weight}), so the
 * engine drops what is unsupported at create, with Docker's warning, instead.
 *
 * <p>On cgroup v1 each controller is a hierarchy {@code <root>/<controller>/} and a limit is
 * supported when its interface file exists there. On v2 a controller is supported when the root's
 * {@code cgroup.controllers} lists it; the I/O weight also needs a scheduler that provides it
 * ({@code io.bfq.weight} or {@code io.weight} in some child cgroup with io enabled).
 */
public record CgroupSupport(boolean v2, boolean memoryLimit, boolean swapLimit, boolean memoryReservation,
        boolean memorySwappiness, boolean kernelMemory, boolean kernelMemoryTcp, boolean oomKillDisable,
        boolean pidsLimit, boolean cpuShares, boolean cpuCfs, boolean cpuRealtime, boolean cpuset,
        boolean blkioWeight, boolean blkioWeightDevice, boolean blkioReadBps, boolean blkioWriteBps,
        boolean blkioReadIops, boolean blkioWriteIops) {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static volatile CgroupSupport host;

    /** This host's support, probed on first use. */
    public static CgroupSupport host() {
        CgroupSupport s = host;
        if (s == null) {
            s = probe(ROOT, Cgroups.isV2());
            host = s;
        }
        return s;
    }

    /** Probes the cgroup filesystem mounted at {@code root}. */
    public static CgroupSupport probe(Path root, boolean v2) {
        return v2 ? probeV2(root) : probeV1(root);
    }

    private static CgroupSupport probeV1(Path root) {
        Path mem = root.resolve("memory");
        Path cpu = root.resolve("cpu");
        Path blkio = root.resolve("blkio");
        boolean memory = Files.exists(mem.resolve("memory.limit_in_bytes"));
        boolean weight = Files.exists(blkio.resolve("blkio.weight")) || Files.exists(blkio.resolve("blkio.bfq.weight"));
        boolean weightDevice = Files.exists(blkio.resolve("blkio.weight_device"))
                || Files.exists(blkio.resolve("blkio.bfq.weight_device"));
        return new CgroupSupport(false, memory,
                Files.exists(mem.resolve("memory.memsw.limit_in_bytes")),
                Files.exists(mem.resolve("memory.soft_limit_in_bytes")),
                Files.exists(mem.resolve("memory.swappiness")),
                Files.exists(mem.resolve("memory.kmem.limit_in_bytes")),
                Files.exists(mem.resolve("memory.kmem.tcp.limit_in_bytes")),
                Files.exists(mem.resolve("memory.oom_control")),
                Files.exists(root.resolve("pids").resolve("cgroup.procs")), // the root has no pids.max
                Files.exists(cpu.resolve("cpu.shares")),
                Files.exists(cpu.resolve("cpu.cfs_quota_us")) && Files.exists(cpu.resolve("cpu.cfs_period_us")),
                Files.exists(cpu.resolve("cpu.rt_period_us")) && Files.exists(cpu.resolve("cpu.rt_runtime_us")),
                Files.exists(root.resolve("cpuset").resolve("cpuset.cpus")),
                weight, weightDevice,
                Files.exists(blkio.resolve("blkio.throttle.read_bps_device")),
                Files.exists(blkio.resolve("blkio.throttle.write_bps_device")),
                Files.exists(blkio.resolve("blkio.throttle.read_iops_device")),
                Files.exists(blkio.resolve("blkio.throttle.write_iops_device")));
    }

    private static CgroupSupport probeV2(Path root) {
        Set<String> controllers = words(root.resolve("cgroup.controllers"));
        boolean memory = controllers.contains("memory");
        boolean cpu = controllers.contains("cpu");
        boolean io = controllers.contains("io");
        boolean weight = io && ioWeightFileExists(root);
        return new CgroupSupport(true, memory, memory, memory, false, false, false, false,
                controllers.contains("pids"), cpu, cpu, false, controllers.contains("cpuset"),
                weight, weight, io, io, io, io);
    }

    /** Whether some child cgroup with io enabled shows a weight file (BFQ's or io.cost's). */
    private static boolean ioWeightFileExists(Path root) {
        if (!words(root.resolve("cgroup.subtree_control")).contains("io")) {
            return false;
        }
        List<Path> children = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory).limit(64).forEach(children::add);
        } catch (IOException e) {
            return false;
        }
        for (Path c : children) {
            if (Files.exists(c.resolve("io.bfq.weight")) || Files.exists(c.resolve("io.weight"))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> words(Path file) {
        try {
            return Set.of(Files.readString(file).strip().split("\\s+"));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /**
     * What {@code docker info} lists under WARNING for this host, in moby's words
     * ({@code daemon/info_unix.go}).
     */
    public List<String> infoWarnings() {
        List<String> w = new ArrayList<>();
        if (!memoryLimit) w.add("WARNING: No memory limit support");
        if (!swapLimit) w.add("WARNING: No swap limit support");
        if (!v2 && !kernelMemoryTcp) w.add("WARNING: No kernel memory TCP limit support");
        if (!v2 && !oomKillDisable) w.add("WARNING: No oom kill disable support");
        if (!cpuCfs) {
            w.add("WARNING: No cpu cfs quota support");
            w.add("WARNING: No cpu cfs period support");
        }
        if (!cpuShares) w.add("WARNING: No cpu shares support");
        if (!cpuset) w.add("WARNING: No cpuset support");
        if (!blkioWeight) w.add(v2 ? "WARNING: No io.weight support" : "WARNING: No blkio weight support");
        if (!blkioWeightDevice) {
            w.add(v2 ? "WARNING: No io.weight (per device) support" : "WARNING: No blkio weight_device support");
        }
        if (!blkioReadBps) {
            w.add(v2 ? "WARNING: No io.max (rbps) support" : "WARNING: No blkio throttle.read_bps_device support");
        }
        if (!blkioWriteBps) {
            w.add(v2 ? "WARNING: No io.max (wbps) support" : "WARNING: No blkio throttle.write_bps_device support");
        }
        if (!blkioReadIops) {
            w.add(v2 ? "WARNING: No io.max (riops) support" : "WARNING: No blkio throttle.read_iops_device support");
        }
        if (!blkioWriteIops) {
            w.add(v2 ? "WARNING: No io.max (wiops) support"
                    : "WARNING: No blkio throttle.write_iops_device support");
        }
        return w;
    }
}
