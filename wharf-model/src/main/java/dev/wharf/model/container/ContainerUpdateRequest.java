package dev.wharf.model.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code POST /containers/{id}/update}: moby's {@code UpdateConfig}, the cgroup limits
 * {@code docker update} can change and a restart policy. Zero (or empty) means "leave as is", as moby
 * reads it; the docker CLI sends every field, most of them zero. Fields it cannot change (devices,
 * ulimits, ...) are ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerUpdateRequest(
        @JsonProperty("Memory") long memory,
        @JsonProperty("MemorySwap") long memorySwap,
        @JsonProperty("MemoryReservation") long memoryReservation,
        @JsonProperty("NanoCpus") long nanoCpus,
        @JsonProperty("CpuShares") long cpuShares,
        @JsonProperty("CpuPeriod") long cpuPeriod,
        @JsonProperty("CpuQuota") long cpuQuota,
        @JsonProperty("CpusetCpus") String cpusetCpus,
        @JsonProperty("CpusetMems") String cpusetMems,
        @JsonProperty("PidsLimit") long pidsLimit,
        @JsonProperty("BlkioWeight") long blkioWeight,
        @JsonProperty("RestartPolicy") HostConfig.RestartPolicy restartPolicy) {

    /** An empty body: changes nothing. */
    public static ContainerUpdateRequest none() {
        return new ContainerUpdateRequest(0, 0, 0, 0, 0, 0, 0, null, null, 0, 0, null);
    }

    /** The limits this request sets (non-zero, non-empty), by their HostConfig names, in moby's order. */
    public Map<String, Object> resources() {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "Memory", memory);
        put(out, "MemorySwap", memorySwap);
        put(out, "MemoryReservation", memoryReservation);
        put(out, "NanoCpus", nanoCpus);
        put(out, "CpuShares", cpuShares);
        put(out, "CpuPeriod", cpuPeriod);
        put(out, "CpuQuota", cpuQuota);
        if (cpusetCpus != null && !cpusetCpus.isEmpty()) {
            out.put("CpusetCpus", cpusetCpus);
        }
        if (cpusetMems != null && !cpusetMems.isEmpty()) {
            out.put("CpusetMems", cpusetMems);
        }
        put(out, "PidsLimit", pidsLimit);
        put(out, "BlkioWeight", blkioWeight);
        return out;
    }

    private static void put(Map<String, Object> out, String key, long value) {
        if (value != 0) {
            out.put(key, value);
        }
    }
}
