package dev.wharf.engine.container;

/**
 * Starts a container under its lock and records the outcome: running with its pids and a
 * {@code start} event, or the failure's exit code and message (and, for an auto-remove container,
 * its removal). The work itself is {@link ContainerStarter}'s.
 */
final class Launcher {

    private final ContainerRegistry registry;
    private final ContainerStarter starter;
    private final ContainerRemover remover;

    Launcher(ContainerRegistry registry, ContainerStarter starter, ContainerRemover remover) {
        this.registry = registry;
        this.starter = starter;
        this.remover = remover;
    }

    /** Caller holds lock. */
    void startLocked(Container c) {
        try {
            ContainerStarter.Started s = starter.start(c, c.takePendingAttach());
            registry.setState(c, c.state.started(s.pid(), s.conmonPid(), registry.now()));
            registry.publish(c, "start");
        } catch (ContainerStarter.StartFailure f) {
            registry.setState(c, c.state.failedStart(f.exitCode(), f.getMessage(), registry.now()));
            c.exited(f.exitCode());
            if (c.cfg.hostConfig().autoRemove()) {
                Thread.ofVirtual().start(() -> remover.removeQuietly(c));
            }
            throw f.toApiError();
        }
    }
}
