package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.HostConfig;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The exit and removal waiters of a {@link Container}: a waiter whose client left (a {@code docker
 * wait} or {@code logs -f} killed before the exit) is dropped, not kept until the container exits.
 */
class ContainerWaitersTest {

    private static Container running() {
        StoredConfig stored = new StoredConfig("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "web", "2024-01-01T00:00:00Z", "sha256:i", "sh", List.of(), ContainerConfig.empty(),
                HostConfig.defaults(), null, List.of());
        return new Container(stored, StateRecord.created().started(4242, 1, "2024-01-01T00:00:01Z"));
    }

    @Test
    void aCancelledWaiter_isDropped_andTheOthersHearTheExit() {
        Container c = running();
        CompletableFuture<Integer> left = c.nextExit();
        CompletableFuture<Integer> stays = c.nextExit();
        CompletableFuture<Integer> leftRemoval = c.removal();
        assertThat(c.waiterCount()).isEqualTo(3);

        left.cancel(false);
        leftRemoval.cancel(false);
        assertThat(c.waiterCount()).as("only the waiter still there").isEqualTo(1);

        c.exited(3);
        assertThat(stays).isCompletedWithValue(3);
        assertThat(c.waiterCount()).isZero();
    }
}
