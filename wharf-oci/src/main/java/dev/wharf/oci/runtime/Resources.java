package dev.wharf.oci.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code linux.resources}: cgroup limits and the device allow-list. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Resources(
        @JsonProperty("devices") List<DeviceRule> devices,
        @JsonProperty("memory") Memory memory,
        @JsonProperty("cpu") Cpu cpu,
        @JsonProperty("pids") Pids pids,
        @JsonProperty("blockIO") BlockIo blockIo) {

    /** {@code devices[]}: type a, c or b; null major/minor means any ({@code *}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeviceRule(
            @JsonProperty("allow") boolean allow,
            @JsonProperty("type") String type,
            @JsonProperty("major") Long major,
            @JsonProperty("minor") Long minor,
            @JsonProperty("access") String access) {}

    /** {@code memory}, in bytes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Memory(
            @JsonProperty("limit") Long limit,
            @JsonProperty("reservation") Long reservation,
            @JsonProperty("swap") Long swap,
            @JsonProperty("swappiness") Long swappiness,
            @JsonProperty("disableOOMKiller") Boolean disableOomKiller,
            @JsonProperty("kernelTCP") Long kernelTcp) {

        public Memory(Long limit, Long reservation, Long swap, Long swappiness, Boolean disableOomKiller) {
            this(limit, reservation, swap, swappiness, disableOomKiller, null);
        }
    }

    /** {@code cpu}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cpu(
            @JsonProperty("shares") Long shares,
            @JsonProperty("quota") Long quota,
            @JsonProperty("period") Long period,
            @JsonProperty("cpus") String cpus,
            @JsonProperty("mems") String mems,
            @JsonProperty("realtimeRuntime") Long realtimeRuntime,
            @JsonProperty("realtimePeriod") Long realtimePeriod) {

        public Cpu(Long shares, Long quota, Long period, String cpus, String mems) {
            this(shares, quota, period, cpus, mems, null, null);
        }
    }

    /** {@code pids}. */
    public record Pids(@JsonProperty("limit") long limit) {}

    /** {@code blockIO}: the weight, per-device weights and throttles. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BlockIo(
            @JsonProperty("weight") Integer weight,
            @JsonProperty("weightDevice") List<WeightDevice> weightDevice,
            @JsonProperty("throttleReadBpsDevice") List<ThrottleDevice> throttleReadBpsDevice,
            @JsonProperty("throttleWriteBpsDevice") List<ThrottleDevice> throttleWriteBpsDevice,
            @JsonProperty("throttleReadIOPSDevice") List<ThrottleDevice> throttleReadIopsDevice,
            @JsonProperty("throttleWriteIOPSDevice") List<ThrottleDevice> throttleWriteIopsDevice) {

        public BlockIo(Integer weight) {
            this(weight, null, null, null, null, null);
        }
    }

    /** {@code blockIO.weightDevice[]}. */
    public record WeightDevice(@JsonProperty("major") long major, @JsonProperty("minor") long minor,
            @JsonProperty("weight") int weight) {}

    /** {@code blockIO.throttle*Device[]}: bytes or operations a second. */
    public record ThrottleDevice(@JsonProperty("major") long major, @JsonProperty("minor") long minor,
            @JsonProperty("rate") long rate) {}
}
