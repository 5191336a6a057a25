package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResourceCheckTest {

    private static final long MB = 1024 * 1024;

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(Map.of("Memory", -1L), "Minimum memory limit allowed is 6MB"),
                Arguments.of(Map.of("Memory", 4 * MB), "Minimum memory limit allowed is 6MB"),
                Arguments.of(Map.of("Memory", 64 * MB, "MemorySwap", 32 * MB),
                        "Minimum memoryswap limit should be larger than memory limit, see usage"),
                Arguments.of(Map.of("MemorySwap", 32 * MB),
                        "You should always set the Memory limit when using Memoryswap limit, see usage"),
                Arguments.of(Map.of("MemorySwappiness", 101), "Invalid value: 101, valid memory swappiness range is 0-100"),
                Arguments.of(Map.of("MemoryReservation", MB), "Minimum memory reservation allowed is 6MB"),
                Arguments.of(Map.of("Memory", 16 * MB, "MemoryReservation", 32 * MB),
                        "Minimum memory limit can not be less than memory reservation limit, see usage"),
                Arguments.of(Map.of("CpuShares", -2), "Invalid CPU shares: -2, the value must not be negative"),
                Arguments.of(Map.of("NanoCpus", 1_000_000_000L, "CpuPeriod", 100_000),
                        "Conflicting options: Nano CPUs and CPU Period cannot both be set"),
                Arguments.of(Map.of("CpuPeriod", 500),
                        "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)"),
                Arguments.of(Map.of("CpuQuota", 10), "CPU cfs quota can not be less than 1ms (i.e. 1000)"),
                Arguments.of(Map.of("BlkioWeight", 5), "Range of blkio weight is from 10 to 1000"),
                Arguments.of(Map.of("ShmSize", -1L), "SHM size can not be less than 0"),
                Arguments.of(Map.of("OomScoreAdj", 1001), "Invalid value 1001, range for oom score adj is [-1000, 1000]"),
                Arguments.of(Map.of("Memory", "1g"), "invalid JSON: json: cannot unmarshal string into Go struct field "
                        + "CreateRequest.HostConfig.Memory of type int64"),
                Arguments.of(Map.of("CpuShares", 1.5), "invalid JSON: json: cannot unmarshal number 1.5 into Go struct "
                        + "field CreateRequest.HostConfig.CpuShares of type int64"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedWithDockersMessage(Map<String, Object> hc, String message) {
        assertThatThrownBy(() -> check(hc)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void sensibleValuesPass() {
        assertThatCode(() -> check((Map.of("Memory", 64 * MB, "MemorySwap", -1L,
                "MemorySwappiness", -1, "CpuShares", 512, "CpuPeriod", 100_000, "CpuQuota", 50_000,
                "BlkioWeight", 300, "OomScoreAdj", -500, "ShmSize", 0L)))).doesNotThrowAnyException();
        assertThatCode(() -> check(Map.of())).doesNotThrowAnyException();
    }

    /** As a create request is checked: the JSON types, then the ranges of the typed values. */
    private static void check(Map<String, Object> hostConfig) {
        Map<String, Object> other = new HashMap<>(hostConfig);
        Object shm = other.remove("ShmSize");
        HostOptions.checkIntegers(other);
        HostOptions h = HostOptions.decode(other);
        ResourceCheck.check(h.limits(), shm instanceof Number n ? n.longValue() : null, h.oomScoreAdj());
    }
}
