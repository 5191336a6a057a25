package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.model.container.HostConfig;
import dev.wharf.runtime.cgroup.CgroupSupport;
import java.util.ArrayList;
import java.util.Collection;
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
        List<String> w = new ArrayList<>();
        memory(o, s, w);
        cpu(o, s, w);
        blkio(o, s, w);
        if ("host".equals(hc.networkMode()) && !HostOptions.of(hc).portBindings().isEmpty()) {
            w.add("Published ports are discarded when using host network mode");
        }
        if (w.isEmpty() && o.equals(hc.other())) {
            return new Adapted(hc, List.of());
        }
        return new Adapted(new HostConfig(hc.networkMode(), hc.autoRemove(), hc.logConfig(), hc.restartPolicy(),
                hc.binds(), hc.privileged(), hc.readonlyRootfs(), hc.consoleSize(), hc.shmSize(), hc.runtime(), o),
                List.copyOf(w));
    }

    private static void memory(Map<String, Object> o, CgroupSupport s, List<String> w) {
        if (num(o, "Memory") > 0 && !s.memoryLimit()) {
            w.add("Your kernel does not support memory limit capabilities or the cgroup is not mounted. "
                    + "Limitation discarded.");
            o.put("Memory", 0L);
            o.put("MemorySwap", -1L);
        }
        if (num(o, "Memory") > 0 && num(o, "MemorySwap") != -1 && !s.swapLimit()) {
            w.add("Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
                    + "Memory limited without swap.");
            o.put("MemorySwap", -1L);
        }
        if (o.get("MemorySwappiness") instanceof Number n && n.longValue() >= 0 && !s.memorySwappiness()) {
            w.add("Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. "
                    + "Memory swappiness discarded.");
            o.put("MemorySwappiness", null);
        }
        if (num(o, "MemoryReservation") > 0 && !s.memoryReservation()) {
            w.add("Your kernel does not support memory soft limit capabilities or the cgroup is not mounted. "
                    + "Limitation discarded.");
            o.put("MemoryReservation", 0L);
        }
        if (num(o, "KernelMemory") > 0 && !s.kernelMemory()) {
            w.add("Your kernel does not support kernel memory limit capabilities or the cgroup is not mounted. "
                    + "Limitation discarded.");
            o.put("KernelMemory", 0L);
        }
        if (o.get("OomKillDisable") instanceof Boolean b && !s.oomKillDisable()) {
            if (b) {
                w.add("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
            }
            o.put("OomKillDisable", null);
        }
        if (Boolean.TRUE.equals(o.get("OomKillDisable")) && num(o, "Memory") == 0) {
            w.add("OOM killer is disabled for the container, but no memory limit is set, this can result in the "
                    + "system running out of resources.");
        }
        if (o.get("PidsLimit") instanceof Number n && !s.pidsLimit()) {
            if (n.longValue() > 0) {
                w.add("Your kernel does not support PIDs limit capabilities or the cgroup is not mounted. "
                        + "PIDs limit discarded.");
            }
            o.put("PidsLimit", null);
        }
    }

    private static void cpu(Map<String, Object> o, CgroupSupport s, List<String> w) {
        if (num(o, "NanoCpus") > 0 && !s.cpuCfs()) {
            throw new InvalidArgumentException("NanoCPUs can not be set, as your kernel does not support CPU CFS "
                    + "scheduler or the cgroup is not mounted");
        }
        if (num(o, "CpuShares") > 0 && !s.cpuShares()) {
            w.add("Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.");
            o.put("CpuShares", 0L);
        }
        if ((num(o, "CpuPeriod") != 0 || num(o, "CpuQuota") != 0) && !s.cpuCfs()) {
            w.add("Your kernel does not support CPU CFS scheduler. CPU period/quota discarded.");
            o.put("CpuPeriod", 0L);
            o.put("CpuQuota", 0L);
        }
        if (num(o, "CpuPercent") > 0) {
            w.add("linux does not support CPU percent. Percent discarded.");
            o.put("CpuPercent", 0L);
        }
        if ((!str(o, "CpusetCpus").isEmpty() || !str(o, "CpusetMems").isEmpty()) && !s.cpuset()) {
            w.add("Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.");
            o.put("CpusetCpus", "");
            o.put("CpusetMems", "");
        }
    }

    private static void blkio(Map<String, Object> o, CgroupSupport s, List<String> w) {
        if (num(o, "BlkioWeight") > 0 && !s.blkioWeight()) {
            w.add("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
            o.put("BlkioWeight", 0L);
        }
        long weight = num(o, "BlkioWeight");
        if (weight > 0 && (weight < 10 || weight > 1000)) {
            throw new InvalidArgumentException("Range of blkio weight is from 10 to 1000");
        }
        dropList(o, "BlkioWeightDevice", s.blkioWeightDevice(), w, "Your kernel does not support Block I/O "
                + "weight_device or the cgroup is not mounted. Weight-device discarded.");
        dropList(o, "BlkioDeviceReadBps", s.blkioReadBps(), w, "Your kernel does not support BPS Block I/O read "
                + "limit or the cgroup is not mounted. Block I/O BPS read limit discarded.");
        dropList(o, "BlkioDeviceWriteBps", s.blkioWriteBps(), w, "Your kernel does not support BPS Block I/O write "
                + "limit or the cgroup is not mounted. Block I/O BPS write limit discarded.");
        dropList(o, "BlkioDeviceReadIOps", s.blkioReadIops(), w, "Your kernel does not support IOPS Block read "
                + "limit or the cgroup is not mounted. Block I/O IOPS read limit discarded.");
        dropList(o, "BlkioDeviceWriteIOps", s.blkioWriteIops(), w, "Your kernel does not support IOPS Block write "
                + "limit or the cgroup is not mounted. Block I/O IOPS write limit discarded.");
    }

    private static void dropList(Map<String, Object> o, String key, boolean supported, List<String> w,
            String warning) {
        if (!supported && o.get(key) instanceof Collection<?> c && !c.isEmpty()) {
            w.add(warning);
            o.put(key, List.of());
        }
    }

    private static long num(Map<String, Object> o, String key) {
        return o.get(key) instanceof Number n ? n.longValue() : 0;
    }

    private static String str(Map<String, Object> o, String key) {
        return o.get(key) instanceof String v ? v : "";
    }
}
