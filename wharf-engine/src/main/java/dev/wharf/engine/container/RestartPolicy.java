package dev.wharf.engine.container;

import java.time.Duration;

/**
 * Acts on a container's restart policy: after an exit the policy chose to restart, the container
 * is marked restarting and started again after its back-off ({@link RestartScheduler}); a restart
 * that fails is scheduled again while the policy still says so.
 */
final class RestartPolicy {

    private static final System.Logger LOG = System.getLogger("wharf.container");

    private final ContainerRegistry registry;
    private final RestartScheduler scheduler;
    private final Launcher launcher;

    RestartPolicy(ContainerRegistry registry, RestartScheduler scheduler, Launcher launcher) {
        this.registry = registry;
        this.scheduler = scheduler;
        this.launcher = launcher;
    }

    /** Whether the container's policy restarts it after an exit with {@code code}. */
    static boolean wantsRestart(Container c, int code, boolean daemonStart) {
        return RestartScheduler.shouldRestart(c.cfg.hostConfig().restartPolicy(), code, c.state.restartCount(),
                c.state.manuallyStopped(), daemonStart);
    }

    /** The state of a stopped container that its policy restarts: restarting, one more restart counted. */
    static StateRecord restarting(StateRecord stopped) {
        return stopped.withStatus(ContainerStatus.RESTARTING).withRestartCount(stopped.restartCount() + 1);
    }

    /** Caller holds lock. Marks the container restarting and has the scheduler start it after the back-off. */
    void schedule(Container c, Duration ranFor) {
        registry.setState(c, restarting(c.state));
        scheduleStart(c, ranFor);
    }

    /** Caller holds lock, and has marked the container {@link #restarting}: starts it after the back-off. */
    void scheduleStart(Container c, Duration ranFor) {
        long delay = scheduler.nextDelay(c.id, ranFor);
        scheduler.schedule(c.id, delay, token -> restartByPolicy(c, token));
    }

    private void restartByPolicy(Container c, long token) {
        c.lock.lock();
        try {
            if (c.removed || !c.state.is(ContainerStatus.RESTARTING) || !scheduler.isCurrent(c.id, token)) {
                return;
            }
            scheduler.cancel(c.id);
            try {
                launcher.startLocked(c);
                registry.publish(c, "restart");
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "restart of " + c.id + " failed: " + e.getMessage());
                if (!c.removed && wantsRestart(c, c.state.exitCode(), false)) {
                    schedule(c, Duration.ZERO);
                }
            }
        } finally {
            c.lock.unlock();
        }
    }
}
