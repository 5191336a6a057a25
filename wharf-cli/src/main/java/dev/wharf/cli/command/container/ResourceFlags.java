package dev.wharf.cli.command.container;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The resource limits that {@code run}, {@code create} and {@code update} share (a picocli mixin):
 * the docker CLI's names, types and help text, and the HostConfig / update-body keys they set.
 */
public final class ResourceFlags {

    @Option(names = {"-m", "--memory"}, paramLabel = "bytes", description = "Memory limit")
    String memory;

    @Option(names = "--memory-reservation", paramLabel = "bytes", description = "Memory soft limit")
    String memoryReservation;

    @Option(names = "--memory-swap", paramLabel = "bytes",
            description = "Swap limit equal to memory plus swap: '-1' to enable unlimited swap")
    String memorySwap;

    @Option(names = "--cpus", paramLabel = "decimal", description = "Number of CPUs")
    String cpus;

    @Option(names = {"-c", "--cpu-shares"}, paramLabel = "int", description = "CPU shares (relative weight)")
    Long cpuShares;

    @Option(names = "--cpu-period", paramLabel = "int", description = "Limit CPU CFS (Completely Fair Scheduler) period")
    Long cpuPeriod;

    @Option(names = "--cpu-quota", paramLabel = "int", description = "Limit CPU CFS (Completely Fair Scheduler) quota")
    Long cpuQuota;

    @Option(names = "--cpuset-cpus", paramLabel = "string", description = "CPUs in which to allow execution (0-3, 0,1)")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "string", description = "MEMs in which to allow execution (0-3, 0,1)")
    String cpusetMems;

    @Option(names = "--pids-limit", paramLabel = "int", description = "Tune container pids limit (set -1 for unlimited)")
    Long pidsLimit;

    @Option(names = "--blkio-weight", paramLabel = "uint16",
            description = "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)")
    Integer blkioWeight;

    /**
     * Puts the limits given into {@code m} (HostConfig, or the body of an update) under Docker's keys;
     * a flag not given adds nothing.
     *
     * @throws IllegalArgumentException for a malformed value, in docker's words
     */
    void putInto(Map<String, Object> m) {
        put(m, "Memory", memory == null ? null : FlagValues.ramInBytes("-m, --memory", memory));
        put(m, "MemoryReservation", memoryReservation == null ? null
                : FlagValues.ramInBytes("--memory-reservation", memoryReservation));
        put(m, "MemorySwap", memorySwap == null ? null : FlagValues.memSwap("--memory-swap", memorySwap));
        put(m, "NanoCpus", cpus == null ? null : FlagValues.nanoCpus("--cpus", cpus));
        put(m, "CpuShares", cpuShares);
        put(m, "CpuPeriod", cpuPeriod);
        put(m, "CpuQuota", cpuQuota);
        put(m, "CpusetCpus", cpusetCpus);
        put(m, "CpusetMems", cpusetMems);
        put(m, "PidsLimit", pidsLimit);
        if (blkioWeight != null && (blkioWeight < 0 || blkioWeight > 65535)) {
            throw FlagValues.invalid("--blkio-weight", blkioWeight.toString(), "strconv.ParseUint: parsing \""
                    + blkioWeight + "\": value out of range");
        }
        put(m, "BlkioWeight", blkioWeight);
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
