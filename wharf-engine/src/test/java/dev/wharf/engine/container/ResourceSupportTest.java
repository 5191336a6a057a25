package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.model.container.HostConfig;
import dev.wharf.runtime.cgroup.CgroupSupport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceSupportTest {

    private static CgroupSupport all() {
        return new CgroupSupport(false, true, true, true, true, true, true, true, true, true, true, true, true,
                true, true, true, true, true, true);
    }

    private static CgroupSupport noBlkioWeightNoSwap() {
        return new CgroupSupport(false, true, false, true, true, true, true, true, true, true, true, true, true,
                false, false, true, true, true, true);
    }

    private static HostConfig hc(Map<String, Object> other) {
        return new HostConfig("default", false, null, null, null, false, false, null, null, null,
                new LinkedHashMap<>(other));
    }

    @Test
    void supportedLimits_areKeptWithoutWarnings() {
        HostConfig in = hc(Map.of("BlkioWeight", 300, "Memory", 64L << 20));
        ResourceSupport.Adapted a = ResourceSupport.adapt(in, all());
        assertThat(a.warnings()).isEmpty();
        assertThat(a.hostConfig().other()).containsEntry("BlkioWeight", 300);
    }

    @Test
    void unsupportedLimits_areDroppedWithDockersWords() {
        HostConfig in = hc(Map.of("BlkioWeight", 300, "Memory", 64L << 20, "MemorySwap", 128L << 20,
                "BlkioWeightDevice", List.of(Map.of("Path", "/dev/sda", "Weight", 10))));
        ResourceSupport.Adapted a = ResourceSupport.adapt(in, noBlkioWeightNoSwap());
        assertThat(a.warnings()).containsExactly(
                "Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
                        + "Memory limited without swap.",
                "Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.",
                "Your kernel does not support Block I/O weight_device or the cgroup is not mounted. "
                        + "Weight-device discarded.");
        assertThat(a.hostConfig().other()).containsEntry("BlkioWeight", 0L).containsEntry("MemorySwap", -1L)
                .containsEntry("BlkioWeightDevice", List.of()).containsEntry("Memory", 64L << 20);
        assertThat(in.other()).containsEntry("BlkioWeight", 300); // the request itself is untouched
    }

    @Test
    void anOutOfRangeWeight_isRefusedOnlyWhereTheWeightApplies() {
        HostConfig in = hc(Map.of("BlkioWeight", 5));
        assertThatThrownBy(() -> ResourceSupport.adapt(in, all())).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Range of blkio weight is from 10 to 1000");
        assertThat(ResourceSupport.adapt(in, noBlkioWeightNoSwap()).warnings()).hasSize(1);
    }

    @Test
    void oomKillDisableWithoutMemory_warns_andHostModeDropsPorts() {
        HostConfig in = new HostConfig("host", false, null, null, null, false, false, null, null, null,
                new LinkedHashMap<>(Map.of("OomKillDisable", true, "PortBindings",
                        Map.of("80/tcp", List.of(Map.of("HostPort", "8080"))))));
        assertThat(ResourceSupport.adapt(in, all()).warnings()).containsExactly(
                "OOM killer is disabled for the container, but no memory limit is set, this can result in the "
                        + "system running out of resources.",
                "Published ports are discarded when using host network mode");
    }
}
