package dev.wharf.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.wharf.base.id.ContainerId;
import dev.wharf.runtime.FakeContainerRuntime.Call;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The network's place in a start and an exit. A start on a network of Wharf's: the runtime creates
 * the container while the driver is still setting the network up, and starts its process only once
 * the set-up has ended. An exit: waiters are told and {@code die} is published before the network
 * is released, as Docker does.
 */
class NetworkOrderTest extends EngineTest {

    /** Before the fixture closes: nothing may stay held at the driver's gates. */
    @AfterEach
    void releaseGates() {
        f.driver.releaseSetUps();
        f.driver.releaseTearDowns();
    }

    private String create(String json) {
        return f.containers.create(null, Requests.create(json)).id();
    }

    private boolean created(String id) {
        return f.runtime.calls().contains(new Call("create", id, null));
    }

    @Test
    void theContainerIsCreatedDuringTheSetUp_andStartedAfterIt_withResolvConfFilledInPlace() throws Exception {
        String id = create("{'Image':'busybox','Cmd':['sh']}");
        Path resolv = Path.of(f.containers.inspect(id, false).resolvConfPath());
        f.driver.holdSetUps();
        CompletableFuture<Void> start = CompletableFuture.runAsync(() -> f.containers.start(id));
        await().atMost(Duration.ofSeconds(10)).until(() -> f.driver.setUpsWaiting() == 1 && created(id));
        Object inode = Files.getAttribute(resolv, "unix:ino"); // the file runc bind-mounts at create
        assertThat(f.runtime.calls()).doesNotContain(new Call("start", id, null));
        assertThat(start).isNotDone();

        f.driver.releaseSetUps();
        start.get();
        assertThat(f.runtime.calls()).containsSubsequence(new Call("create", id, null), new Call("start", id, null));
        assertThat(f.containers.inspect(id, false).state().status()).isEqualTo("running");
        assertThat(Files.getAttribute(resolv, "unix:ino")).as("written in place").isEqualTo(inode);
        assertThat(Files.readString(resolv)).contains("nameserver");
    }

    @Test
    void aSetUpThatFailsAfterTheCreate_undoesTheStart() throws Exception {
        String id = create("{'Image':'busybox','Cmd':['sh']}");
        f.driver.holdSetUps();
        CompletableFuture<Void> start = CompletableFuture.runAsync(() -> f.containers.start(id));
        await().atMost(Duration.ofSeconds(10)).until(() -> f.driver.setUpsWaiting() == 1 && created(id));
        f.driver.failSetUp("iptables: Resource temporarily unavailable");
        f.driver.releaseSetUps();

        assertThat(start).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .withMessageContaining("iptables: Resource temporarily unavailable");
        assertThat(f.runtime.calls()).contains(new Call("delete", id, null))
                .doesNotContain(new Call("start", id, null));
        var state = f.containers.inspect(id, false).state();
        assertThat(state.status()).as("as after any failed start: Docker's too").isEqualTo("created");
        assertThat(state.exitCode()).isEqualTo(128);
        assertThat(state.error()).contains("iptables: Resource temporarily unavailable");
    }

    @Test
    void aNetSysctl_waitsForTheWholeSetUpBeforeTheCreate() throws Exception {
        // runc writes sysctls at create, and one of the network may name the container's interface
        String id = create("{'Image':'busybox','Cmd':['sh'],'HostConfig':{'Sysctls':{'net.ipv4.conf.eth0.route_localnet':'1'}}}");
        f.driver.holdSetUps();
        CompletableFuture<Void> start = CompletableFuture.runAsync(() -> f.containers.start(id));
        await().atMost(Duration.ofSeconds(10)).until(() -> f.driver.setUpsWaiting() == 1);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !created(id));

        f.driver.releaseSetUps();
        start.get();
        assertThat(f.runtime.calls()).containsSubsequence(new Call("create", id, null), new Call("start", id, null));
    }

    @Test
    void anExit_tellsWaitersAndPublishesDie_beforeTheNetworkIsReleased() throws Exception {
        String id = create("{'Image':'busybox','Cmd':['sh']}");
        f.containers.start(id);
        f.actions(); // drain
        var waited = f.containers.waitFor(id, "not-running");
        int tearDownsBefore = f.driver.tearDowns().size();
        f.driver.holdTearDowns();
        f.runtime.exit(id, 3);
        assertThat(waited.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(3);
        assertThat(f.driver.tearDowns()).hasSize(tearDownsBefore); // still held
        f.driver.releaseTearDowns();
        await().atMost(Duration.ofSeconds(10)).until(() -> f.driver.tearDowns().size() == tearDownsBefore + 1);
        Path conmonPid = f.paths().conmonPid(new ContainerId(id));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(conmonPid));
        assertThat(f.actions()).containsSubsequence("container:die", "network:disconnect");
    }
}
