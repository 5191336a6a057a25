package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.oci.runtime.Process;
import dev.wharf.oci.runtime.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cgroup limits and ulimits of a HostConfig, with the values Docker's documentation gives. */
class ResourceLimitsTest {

    private static final long MB = 1024 * 1024;

    @Test
    void nothingAsked_limitsNothing() {
        Resources r = limits(Map.of());
        assertThat(r.memory()).isNull();
        assertThat(r.cpu()).isNull();
        assertThat(r.pids()).isNull();
        assertThat(r.blockIo()).isNull();
    }

    @Test
    void memory_withoutMemorySwap_mayUseAsMuchSwapAsMemory_andMinusOneIsUnlimited() {
        assertThat(limits(Map.of("Memory", 100 * MB)).memory().swap()).isEqualTo(200 * MB);
        assertThat(limits(Map.of("Memory", 100 * MB, "MemorySwap", -1)).memory().swap())
                .isEqualTo(-1L);
        assertThat(limits(Map.of("Memory", 100 * MB, "MemorySwap", 300 * MB)).memory().swap())
                .isEqualTo(300 * MB);
    }

    @Test
    void cpus_oneAndAHalf_isAQuotaOf150msPer100ms() {
        Resources.Cpu cpu = limits(Map.of("NanoCpus", 1_500_000_000L)).cpu();
        assertThat(cpu.period()).isEqualTo(100_000L);
        assertThat(cpu.quota()).isEqualTo(150_000L);
    }

    @Test
    void pidsLimit_zeroMeansNone() {
        assertThat(limits(Map.of("PidsLimit", 0)).pids()).isNull();
        assertThat(limits(Map.of("PidsLimit", 100)).pids().limit()).isEqualTo(100);
    }

    @Test
    void blkioWeight_outsideTenToAThousand_isRefused() {
        assertThat(limits(Map.of("BlkioWeight", 500)).blockIo().weight()).isEqualTo(500);
        assertThatThrownBy(() -> limits(Map.of("BlkioWeight", 5)))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("Range of blkio weight is from 10 to 1000");
    }

    @Test
    void ulimits_becomeRlimits_andBadOnesAre400s() {
        List<Process.Rlimit> rl = rlimits(Map.of("Ulimits",
                List.of(Map.of("Name", "nofile", "Soft", 1024, "Hard", 2048))), Map.of());
        assertThat(rl).containsExactly(new Process.Rlimit("RLIMIT_NOFILE", 2048, 1024));
        assertThatThrownBy(() -> rlimits(Map.of("Ulimits",
                List.of(Map.of("Name", "foo", "Soft", 1, "Hard", 1))), Map.of()))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("invalid ulimit type: foo");
        assertThatThrownBy(() -> rlimits(Map.of("Ulimits",
                List.of(Map.of("Name", "nofile", "Soft", 4096, "Hard", 2048))), Map.of()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("ulimit soft limit must be less than or equal to hard limit: 4096 > 2048");
        assertThatThrownBy(() -> rlimits(Map.of("Ulimits",
                List.of(Map.of("Name", "nofile", "Soft", 1024, "Hard", 4096))), Map.of("RLIMIT_NOFILE", 2048L)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("above this host's hard limit");
    }

    /** Through the decoder, as the engine reads a request's HostConfig. */
    private static Resources limits(Map<String, Object> hostConfig) {
        return ResourceLimits.limits(HostOptions.decode(hostConfig).limits());
    }

    private static List<Process.Rlimit> rlimits(Map<String, Object> hostConfig, Map<String, Long> hard) {
        return ResourceLimits.rlimits(HostOptions.decode(hostConfig).ulimits(), hard);
    }
}
