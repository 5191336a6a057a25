package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.model.container.HostConfig;
import dev.wharf.runtime.cgroup.CgroupSupport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drops the resource limits this host cannot enforce from a HostConfig, with Docker's warning for
 * each (moby's {@code verifyPlatformContainerResources}), so that a container asked for, say, a
 * block I/O weight on a host without the BFQ scheduler runs without it instead of failing in runc.
 * What is dropped is not stored, so inspect shows what is applied.
 */
final class ResourceSupport {

    /** The HostConfig to store and run, and the warnings for create's or update's answer. */
    record Adapted(HostConfig hostConfig, List<String> warnings) {
    }

    private ResourceSupport() {
    }

    static Adapted adapt(HostConfig hc, CgroupSupport s) {
        Map<String, Object> o = new LinkedHashMap<>(hc.other());
        HostOptions h = HostOptions.of(hc);
        List<String> w = new ArrayList<>();
        memory(h.limits(), o, s, w);
        cpu(h.limits(), o, s, w);
        blkio(h.limits(), o, s, w);
        if ("host".equals(hc.networkMode()) && !h.portBindings().isEmpty()) {
            w.add("Published ports are discarded when using host network mode");
        }
        if (w.isEmpty() && o.equals(hc.other())) {
            return new Adapted(hc, List.of());
        }
        return new Adapted(hc.withOther(o), List.copyOf(w));
    }

    /** Reads the asked limits from {@code l}; records what it drops in {@code o}, the map to store. */
    private static void memory(HostOptions.Limits l, Map<String, Object> o, CgroupSupport s, List<String> w) {
        long memory = l.memory();
        if (memory > 0 && !s.memoryLimit()) {
            w.add("Your kernel does not support memory limit capabilities or the cgroup is not mounted. "
                    + "Limitation discarded.");
            o.put("Memory", 0L);
            o.put("MemorySwap", -1L);
            memory = 0;
        }
        if (memory > 0 && l.memorySwap() != -1 && !s.swapLimit()) {
            w.add("Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
                    + "Memory limited without swap.");
            o.put("MemorySwap", -1L);
        }
        if (l.memorySwappiness() != null && l.memorySwappiness() >= 0 && !s.memorySwappiness()) {
            w.add("Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. "
                    + "Memory swappiness discarded.");
            o.put("MemorySwappiness", null);
        }
        if (l.memoryReservation() > 0 && !s.memoryReservation()) {
            w.add("Your kernel does not support memory soft limit capabilities or the cgroup is not mounted. "
                    + "Limitation discarded.");
            o.put("MemoryReservation", 0L);
        }
        if (l.kernelMemory() > 0 && !s.kernelMemory()) {
            w.add("Your kernel does not support kernel memory limit capabilities or the cgroup is not mounted. "
                    + "Limitation discarded.");
            o.put("KernelMemory", 0L);
        }
        Boolean oomKillDisable = l.oomKillDisable();
        if (oomKillDisable != null && !s.oomKillDisable()) {
            if (oomKillDisable) {
                w.add("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
            }
            o.put("OomKillDisable", null);
            oomKillDisable = null;
        }
        if (Boolean.TRUE.equals(oomKillDisable) && memory == 0) {
            w.add("OOM killer is disabled for the container, but no memory limit is set, this can result in the "
                    + "system running out of resources.");
        }
        if (l.pidsLimit() != null && !s.pidsLimit()) {
            if (l.pidsLimit() > 0) {
                w.add("Your kernel does not support PIDs limit capabilities or the cgroup is not mounted. "
                        + "PIDs limit discarded.");
            }
            o.put("PidsLimit", null);
        }
    }

    private static void cpu(HostOptions.Limits l, Map<String, Object> o, CgroupSupport s, List<String> w) {
        if (l.nanoCpus() > 0 && !s.cpuCfs()) {
            throw new InvalidArgumentException("NanoCPUs can not be set, as your kernel does not support CPU CFS "
                    + "scheduler or the cgroup is not mounted");
        }
        if (l.cpuShares() > 0 && !s.cpuShares()) {
            w.add("Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.");
            o.put("CpuShares", 0L);
        }
        if ((l.cpuPeriod() != 0 || l.cpuQuota() != 0) && !s.cpuCfs()) {
            w.add("Your kernel does not support CPU CFS scheduler. CPU period/quota discarded.");
            o.put("CpuPeriod", 0L);
            o.put("CpuQuota", 0L);
        }
        if (l.cpuPercent() > 0) {
            w.add("linux does not support CPU percent. Percent discarded.");
            o.put("CpuPercent", 0L);
        }
        if ((l.cpusetCpus() != null || l.cpusetMems() != null) && !s.cpuset()) {
            w.add("Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.");
            o.put("CpusetCpus", "");
            o.put("CpusetMems", "");
        }
    }

    private static void blkio(HostOptions.Limits l, Map<String, Object> o, CgroupSupport s, List<String> w) {
        long weight = l.blkioWeight();
        if (weight > 0 && !s.blkioWeight()) {
            w.add("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
            o.put("BlkioWeight", 0L);
            weight = 0;
        }
        if (weight > 0 && (weight < 10 || weight > 1000)) {
            throw new InvalidArgumentException("Range of blkio weight is from 10 to 1000");
        }
        drop(o, "BlkioWeightDevice", l.blkioWeightDevice(), s.blkioWeightDevice(), w, "Your kernel does not "
                + "support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.");
        drop(o, "BlkioDeviceReadBps", l.blkioDeviceReadBps(), s.blkioReadBps(), w, "Your kernel does not support "
                + "BPS Block I/O read limit or the cgroup is not mounted. Block I/O BPS read limit discarded.");
        drop(o, "BlkioDeviceWriteBps", l.blkioDeviceWriteBps(), s.blkioWriteBps(), w, "Your kernel does not "
                + "support BPS Block I/O write limit or the cgroup is not mounted. Block I/O BPS write limit "
                + "discarded.");
        drop(o, "BlkioDeviceReadIOps", l.blkioDeviceReadIOps(), s.blkioReadIops(), w, "Your kernel does not "
                + "support IOPS Block read limit or the cgroup is not mounted. Block I/O IOPS read limit discarded.");
        drop(o, "BlkioDeviceWriteIOps", l.blkioDeviceWriteIOps(), s.blkioWriteIops(), w, "Your kernel does not "
                + "support IOPS Block write limit or the cgroup is not mounted. Block I/O IOPS write limit "
                + "discarded.");
    }

    private static void drop(Map<String, Object> o, String key, List<HostOptions.BlkioDevice> asked,
            boolean supported, List<String> w, String warning) {
        if (!supported && !asked.isEmpty()) {
            w.add(warning);
            o.put(key, List.of());
        }
    }
}
