package dev.wharf.engine.container;

import dev.wharf.base.error.InvalidArgumentException;
import java.util.List;
import java.util.Map;

/**
 * The resource checks of moby's {@code verifyPlatformContainerResources} and
 * {@code verifyPlatformContainerSettings} on a create request's HostConfig, with Docker's
 * messages; and the JSON types of the resource fields Wharf keeps untyped, refused as Go's
 * decoder refuses them.
 */
final class ResourceCheck {

    private static final long MIN_MEMORY = 6L * 1024 * 1024;
    private static final List<String> INTEGERS = List.of("Memory", "MemorySwap", "MemoryReservation",
            "MemorySwappiness", "NanoCpus", "CpuShares", "CpuPeriod", "CpuQuota", "CpuRealtimePeriod",
            "CpuRealtimeRuntime", "BlkioWeight", "OomScoreAdj", "PidsLimit", "KernelMemory", "CpuCount",
            "CpuPercent");

    private ResourceCheck() {
    }

    static void check(Map<String, Object> hc) {
        for (String k : INTEGERS) {
            Object v = hc.get(k);
            if (v != null && !(v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger)) {
                String kind = v instanceof Number ? "number " + v : v instanceof String ? "string"
                        : v instanceof Boolean ? "bool" : v instanceof List ? "array" : "object";
                throw new InvalidArgumentException("invalid JSON: json: cannot unmarshal " + kind
                        + " into Go struct field CreateRequest.HostConfig." + k + " of type int64");
            }
        }
        long mem = num(hc, "Memory");
        long swap = num(hc, "MemorySwap");
        long reservation = num(hc, "MemoryReservation");
        if (mem != 0 && mem < MIN_MEMORY) {
            throw new InvalidArgumentException("Minimum memory limit allowed is 6MB");
        }
        if (mem > 0 && swap > 0 && swap < mem) {
            throw new InvalidArgumentException("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (mem == 0 && swap > 0) {
            throw new InvalidArgumentException(
                    "You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (hc.get("MemorySwappiness") != null) {
            long s = num(hc, "MemorySwappiness");
            if (s != -1 && (s < 0 || s > 100)) {
                throw new InvalidArgumentException("Invalid value: " + s + ", valid memory swappiness range is 0-100");
            }
        }
        if (reservation > 0 && reservation < MIN_MEMORY) {
            throw new InvalidArgumentException("Minimum memory reservation allowed is 6MB");
        }
        if (mem > 0 && reservation > 0 && mem < reservation) {
            throw new InvalidArgumentException(
                    "Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        long nano = num(hc, "NanoCpus");
        long period = num(hc, "CpuPeriod");
        long quota = num(hc, "CpuQuota");
        if (nano > 0 && period > 0) {
            throw new InvalidArgumentException("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        if (nano < 0) {
            throw new InvalidArgumentException("Range of CPUs is from 0.01 to " + cpus + ".00, as there are only "
                    + cpus + " CPUs available");
        }
        if (num(hc, "CpuShares") < 0) {
            // Docker hands a negative value to the runtime; refuse it here with a clear message.
            throw new InvalidArgumentException("Invalid CPU shares: " + num(hc, "CpuShares")
                    + ", the value must not be negative");
        }
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw new InvalidArgumentException(
                    "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (quota > 0 && quota < 1000) {
            throw new InvalidArgumentException("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        long blkio = num(hc, "BlkioWeight");
        if (blkio > 0 && (blkio < 10 || blkio > 1000)) {
            throw new InvalidArgumentException("Range of blkio weight is from 10 to 1000");
        }
        if (hc.get("ShmSize") instanceof Number n && n.longValue() < 0) {
            throw new InvalidArgumentException("SHM size can not be less than 0");
        }
        long oom = num(hc, "OomScoreAdj");
        if (oom < -1000 || oom > 1000) {
            throw new InvalidArgumentException("Invalid value " + oom + ", range for oom score adj is [-1000, 1000]");
        }
    }

    private static long num(Map<String, Object> hc, String k) {
        return hc.get(k) instanceof Number n ? n.longValue() : 0;
    }
}
