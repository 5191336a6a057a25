package dev.wharf.model.container;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code POST /containers/{id}/update}: moby's {@code UpdateConfig}, the cgroup limits
 * {@code docker update} can change and a restart policy. Zero (or empty) means "leave as is", as moby
 * reads it; the docker CLI sends every field, most of them zero. Fields it cannot change (devices,
 * ulimits, ...) are ignored, as unknown keys are by the request mapper.
 */
public record ContainerUpdateRequest(
        @JsonProperty("Memory") long memory, @JsonProperty("MemorySwap") long memorySwap,
        @JsonProperty("MemoryReservation") long memoryReservation,
        @JsonProperty("NanoCpus") long nanoCpus, @JsonProperty("CpuShares") long cpuShares,
        @JsonProperty("CpuPeriod") long cpuPeriod, @JsonProperty("CpuQuota") long cpuQuota,
        @JsonProperty("CpusetCpus") String cpusetCpus, @JsonProperty("CpusetMems") String cpusetMems,
        @JsonProperty("PidsLimit") long pidsLimit, @JsonProperty("BlkioWeight") long blkioWeight,
        @JsonProperty("RestartPolicy") HostConfig.RestartPolicy restartPolicy) {

    /** An empty body: changes nothing. */
    public static ContainerUpdateRequest none() {
        return new ContainerUpdateRequest(0, 0, 0, 0, 0, 0, 0, null, null, 0, 0, null);
    }

    /** The limits this request sets (non-zero, non-empty), by their HostConfig names, in moby's order. */
    public Map<String, Object> resources() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("Memory", memory);
        all.put("MemorySwap", memorySwap);
        all.put("MemoryReservation", memoryReservation);
        all.put("NanoCpus", nanoCpus);
        all.put("CpuShares", cpuShares);
        all.put("CpuPeriod", cpuPeriod);
        all.put("CpuQuota", cpuQuota);
        all.put("CpusetCpus", cpusetCpus);
        all.put("CpusetMems", cpusetMems);
        all.put("PidsLimit", pidsLimit);
        all.put("BlkioWeight", blkioWeight);
        all.values().removeIf(v -> v == null || v.equals(0L) || v.equals(""));
        return all;
    }
}
