package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.model.container.ContainerUpdateRequest;
import dev.wharf.model.container.HostConfig;
import dev.wharf.model.container.HostConfig.RestartPolicy;
import org.junit.jupiter.api.Test;

/** {@code docker update} over the fake runtime: what a typed request changes, and what it refuses. */
class UpdaterTest extends EngineTest {

    private static ContainerUpdateRequest limits(long memory, long swap, long cpuShares, String cpuset) {
        return new ContainerUpdateRequest(memory, swap, 0, 0, cpuShares, 0, 0, cpuset, null, 0, 0, null);
    }

    private static ContainerUpdateRequest policy(String name, int max) {
        return new ContainerUpdateRequest(0, 0, 0, 0, 0, 0, 0, null, null, 0, 0, new RestartPolicy(name, max));
    }

    private HostConfig hostConfig(String id) {
        return f.containers.inspect(id, false).hostConfig();
    }

    @Test
    void theNonZeroFieldsReplaceTheContainers_andZeroLeavesTheRestAlone() {
        String id = f.containers.create("up1", Requests.create(
                "{'Image':'busybox','HostConfig':{'CpuShares':256,'Memory':33554432}}")).id();
        assertThat(f.containers.update("up1", limits(0, 0, 512, "0"))).containsEntry("Warnings", null);
        HostConfig hc = hostConfig(id);
        assertThat(((Number) hc.other().get("CpuShares")).longValue()).isEqualTo(512);
        assertThat(((Number) hc.other().get("Memory")).longValue()).isEqualTo(33554432);
        assertThat(hc.other()).containsEntry("CpusetCpus", "0");
        assertThat(f.runtime.calls()).noneMatch(c -> c.verb().equals("update"));

        f.containers.update(id, policy("on-failure", 3));
        assertThat(hostConfig(id).restartPolicy()).isEqualTo(new RestartPolicy("on-failure", 3));
        f.containers.update(id, null);
        assertThat(hostConfig(id).restartPolicy()).isEqualTo(new RestartPolicy("on-failure", 3));
    }

    @Test
    void aRunningContainer_getsTheLimitsThroughTheRuntime() {
        String id = f.containers.create("run1", Requests.create("{'Image':'busybox'}")).id();
        f.containers.start(id);
        f.containers.update(id, limits(64L << 20, 0, 0, null));
        assertThat(f.runtime.calls()).anySatisfy(c -> {
            assertThat(c.verb()).isEqualTo("update");
            assertThat(c.id()).isEqualTo(id);
            assertThat(c.arg()).contains(String.valueOf(64L << 20));
        });
    }

    @Test
    void aBadPolicyOrLimit_isRefused_andChangesNothing() {
        String id = f.containers.create("bad1", Requests.create(
                "{'Image':'busybox','HostConfig':{'Memory':33554432,'MemorySwap':67108864}}")).id();
        HostConfig before = hostConfig(id);
        assertThatThrownBy(() -> f.containers.update(id, policy("sometimes", 0)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', "
                        + "'on-failure', or 'unless-stopped'");
        assertThatThrownBy(() -> f.containers.update(id, policy("always", 2)))
                .hasMessage("invalid restart policy: maximum retry count can only be used with 'on-failure'");
        assertThatThrownBy(() -> f.containers.update(id, policy("on-failure", -1)))
                .hasMessage("invalid restart policy: maximum retry count cannot be negative");
        assertThatThrownBy(() -> f.containers.update(id, limits(0, -2, 0, null)))
                .hasMessage("invalid MemorySwap: -2");
        assertThatThrownBy(() -> f.containers.update(id, limits(128L << 20, 0, 0, null)))
                .hasMessage("Memory limit should be smaller than already set memoryswap limit, update the "
                        + "memoryswap at the same time");
        assertThat(hostConfig(id)).isEqualTo(before);
    }

    @Test
    void anAutoRemoveContainer_keepsNoAsItsPolicy() {
        String id = f.containers.create("rm1", Requests.create("{'Image':'busybox','HostConfig':{'AutoRemove':true}}"))
                .id();
        assertThatThrownBy(() -> f.containers.update(id, policy("always", 0)))
                .hasMessage("Restart policy cannot be updated because AutoRemove is enabled for the container");
        f.containers.update(id, policy("no", 0));
        assertThat(hostConfig(id).restartPolicy()).isEqualTo(new RestartPolicy("no", 0));
    }
}
