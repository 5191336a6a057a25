package dev.wharf.engine.network;

import dev.wharf.runtime.network.NetworkDriver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Keeps a bridge network's device and firewall rules alive between containers. netavark deletes
 * the bridge and the network's iptables rules when its last interface leaves, and builds them again
 * for the next container: about 150 ms each way, most of a {@code run --rm} on the bridge. A veth
 * pair with one end enslaved to the bridge ({@code wk-<bridge hash>}, the "dummy"; the dummy link
 * type is not always built into the kernel) makes that teardown a partial one. When only
 * the dummy is left for {@link #LINGER_MS}, it is removed and the complete teardown is done through
 * netavark after all (by the release callback), so an idle daemon leaves no bridge behind.
 * Set-ups and teardowns hold the read lock; a release holds the write lock.
 */
final class BridgeKeeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("wharf.network");
    /**
     * Long enough for a script running one container after another; short, so an idle daemon
     * leaves no bridge for long (the suite's leak check waits ten seconds for it to go).
     */
    static final long LINGER_MS = 2000;
    /**
     * On unless {@code -Dwharf.network.keepBridges=false}. Isolation between networks is Wharf's own
     * ({@code Isolation}): netavark's dropped its jump whenever another network was torn down.
     */
    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("wharf.network.keepBridges", "true"));

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ScheduledThreadPoolExecutor timer = timer();
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final NetworkDriver driver;
    private final Consumer<String> release;

    /** {@code release} tears the network with this bridge down completely (the dummy is gone by then). */
    BridgeKeeper(NetworkDriver driver, Consumer<String> release) {
        this.driver = driver;
        this.release = release;
    }

    /** One thread; at shutdown, releases not begun are dropped (close does them) and one under way finishes. */
    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("wharf-bridge-keeper").factory());
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return t;
    }

    ReentrantReadWriteLock.ReadLock useLock() {
        return lock.readLock();
    }

    static String keeperName(String bridge) {
        return "wk-" + String.format("%08x", bridge.hashCode());
    }

    /** After a set-up: the bridge exists now; enslave a dummy to it unless one is there. */
    void hold(String bridge) {
        if (bridge == null || !ENABLED) {
            return;
        }
        ScheduledFuture<?> f = pending.remove(bridge);
        if (f != null) {
            f.cancel(false);
        }
        String k = keeperName(bridge);
        if (driver.linkExists(k)) {
            return;
        }
        driver.addBridgePort(k, "wkp" + k.substring(3), bridge);
    }

    /** After a teardown: when only the dummy is left on the bridge, release it after a while. */
    void maybeRelease(String bridge) {
        if (bridge == null || !onlyKeeper(bridge)) {
            return;
        }
        pending.compute(bridge, (b, old) -> {
            if (old != null) {
                old.cancel(false);
            }
            return timer.schedule(() -> releaseNow(b), LINGER_MS, TimeUnit.MILLISECONDS);
        });
    }

    /** Releases at once (network removal, daemon stop) if the bridge holds nothing but the dummy. */
    void releaseNow(String bridge) {
        lock.writeLock().lock();
        try {
            pending.remove(bridge);
            if (!onlyKeeper(bridge)) {
                return;
            }
            driver.deleteLink(keeperName(bridge));
            release.accept(bridge);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "releasing bridge " + bridge + ": " + e.getMessage());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Whether the bridge exists and has no port but our dummy, if that: a set-up that failed
     * half-way can leave a bridge with no port at all, which nothing else would remove.
     */
    boolean onlyKeeper(String bridge) {
        List<String> ports = driver.bridgePorts(bridge);
        if (ports == null) {
            return false;
        }
        return ports.isEmpty() || ports.equals(List.of(keeperName(bridge)));
    }

    /**
     * Releases the bridges waiting for their linger at once. A release already under way is let
     * finish, not interrupted: cut short, it left its namespace and half of netavark's rules behind.
     */
    @Override
    public void close() {
        timer.shutdown();
        for (String b : List.copyOf(pending.keySet())) {
            releaseNow(b);
        }
        try {
            if (!timer.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "a bridge release did not finish within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
    }
}
