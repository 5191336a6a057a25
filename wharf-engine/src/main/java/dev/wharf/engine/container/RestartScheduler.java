package dev.wharf.engine.container;

import dev.wharf.base.id.ContainerId;
import dev.wharf.base.time.Clock;
import dev.wharf.model.container.HostConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The timing of restart policies as moby's restartmanager applies them: the delay before a
 * restart starts at 100 ms and doubles with each restart, up to a minute; a container that ran for
 * 10 s or more starts again from 100 ms. Owns each container's back-off and its pending restart;
 * a stop, kill, start or remove cancels the pending one ({@link #cancelRestart}). What the policies
 * decide is {@link #shouldRestart}; {@link RestartPolicy} acts on it.
 */
final class RestartScheduler {

    static final long FIRST_DELAY_MILLIS = 100;
    static final long MAX_DELAY_MILLIS = 60_000;
    static final Duration RESET_AFTER = Duration.ofSeconds(10);

    private final ContainerRegistry registry;
    private final Clock clock;
    private final Map<ContainerId, Long> delays = new ConcurrentHashMap<>();
    private final Map<ContainerId, Long> pending = new ConcurrentHashMap<>();
    private final AtomicLong tokens = new AtomicLong();

    RestartScheduler(ContainerRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Whether the policy ({@code no}, {@code always}, {@code on-failure[:N]}, {@code unless-stopped})
     * restarts a container that exited with {@code exitCode}. A {@code docker stop} or {@code kill}
     * disables the policy until the next start; at daemon start {@code always} brings back even a
     * stopped container, as Docker does.
     *
     * @param daemonStart true when deciding at daemon start (reconcile), where {@code always}
     *                    ignores a manual stop
     */
    static boolean shouldRestart(HostConfig.RestartPolicy p, int exitCode, int restartCount, boolean manuallyStopped,
            boolean daemonStart) {
        String name = p == null || p.name() == null ? "no" : p.name();
        if (manuallyStopped && !(daemonStart && name.equals("always"))) {
            return false;
        }
        return switch (name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> exitCode != 0 && (p.maximumRetryCount() <= 0 || restartCount < p.maximumRetryCount());
            default -> false;
        };
    }

    /** The delay before the next restart of a container that ran for {@code ranFor}; doubles each time. */
    long nextDelay(ContainerId id, Duration ranFor) {
        return delays.compute(id, (k, prev) -> {
            if (prev == null || ranFor.compareTo(RESET_AFTER) >= 0) {
                return FIRST_DELAY_MILLIS;
            }
            return Math.min(prev * 2, MAX_DELAY_MILLIS);
        });
    }

    /**
     * Runs {@code restart} with its token after {@code delayMillis} on a virtual thread; the
     * callback must check {@link #isCurrent} under the container's lock, so a stop, start or
     * remove in between cancels it.
     */
    void schedule(ContainerId id, long delayMillis, Consumer<Long> restart) {
        long token = tokens.incrementAndGet();
        pending.put(id, token);
        Thread.ofVirtual().name("restart-" + id.shortId()).start(() -> {
            try {
                clock.sleep(Duration.ofMillis(delayMillis));
            } catch (InterruptedException e) {
                return;
            }
            if (isCurrent(id, token)) {
                restart.accept(token);
            }
        });
    }

    boolean isCurrent(ContainerId id, long token) {
        Long t = pending.get(id);
        return t != null && t == token;
    }

    /** Drops a scheduled restart (stop, kill, start, remove); true if one was pending. */
    boolean cancel(ContainerId id) {
        return pending.remove(id) != null;
    }

    /** Forgets the back-off too (manual start, remove). */
    void reset(ContainerId id) {
        pending.remove(id);
        delays.remove(id);
    }

    /** At daemon stop: no restart scheduled before runs any more. */
    void close() {
        pending.clear();
    }

    /**
     * A stop, kill, restart or forced remove: with {@code manual}, the policy waits for the next
     * start. A container waiting in its back-off becomes exited; returns whether it was.
     */
    boolean cancelRestart(Container c, boolean manual) {
        c.lock.lock();
        try {
            if (c.removed) {
                return false;
            }
            if (c.state.is(ContainerStatus.RESTARTING)) {
                cancel(c.id);
                registry.setState(c, c.state.withStatus(ContainerStatus.EXITED)
                        .withManuallyStopped(manual || c.state.manuallyStopped()));
                c.exited(c.state.exitCode());
                return true;
            }
            if (manual && c.state.running() && !c.state.manuallyStopped()) {
                registry.setState(c, c.state.withManuallyStopped(true));
            }
            return false;
        } finally {
            c.lock.unlock();
        }
    }
}
