package dev.wharf.engine.container;

import dev.wharf.runtime.ContainerRuntime;
import dev.wharf.runtime.ExitWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * At daemon start, brings memory in line with what is really there after a restart or crash,
 * then starts watching exits. For each half-done state: a restart's back-off cut short becomes
 * exited and restarts; an exited container whose policy restarts it at daemon start does; a
 * removal cut short is finished; a start cut short (its monitor's pid file there, never recorded
 * as started) is undone; a running one whose monitor is gone exits (255); one whose monitor
 * still runs stays running.
 */
final class Reconciler {

    private static final System.Logger LOG = System.getLogger("wharf.container");

    private final ContainerRegistry registry;
    private final ContainerStarter starter;
    private final ContainerRuntime runtime;
    private final ExitHandler exits;
    private final RestartPolicy restarts;
    private final ContainerRemover remover;

    Reconciler(ContainerRegistry registry, ContainerStarter starter, ContainerRuntime runtime, ExitHandler exits,
            RestartPolicy restarts, ContainerRemover remover) {
        this.registry = registry;
        this.starter = starter;
        this.runtime = runtime;
        this.exits = exits;
        this.restarts = restarts;
        this.remover = remover;
    }

    void reconcile(ExitWatcher exitWatcher) {
        ContainerPaths paths = registry.paths();
        ContainerRemover.emptyTrash(paths);
        List<Container> toRestart = new ArrayList<>();
        for (Container c : List.copyOf(registry.all())) {
            ContainerStatus s = c.state.status();
            if (s == ContainerStatus.RESTARTING) {
                // the daemon stopped during a restart's back-off: the policy already decided
                registry.setState(c, c.state.withStatus(ContainerStatus.EXITED));
                toRestart.add(c);
            } else if (s == ContainerStatus.EXITED && !c.state.startedAt().equals(StateRecord.ZERO)
                    && RestartPolicy.wantsRestart(c, c.state.exitCode(), true)) {
                toRestart.add(c);
            } else if (s == ContainerStatus.REMOVING) {
                remover.finishRemove(c, c.cfg.hostConfig().autoRemove());
            } else if (!c.state.running() && Files.exists(paths.conmonPid(c.id))) {
                // A start that a crash cut short (never reported as started): undo it.
                LOG.log(System.Logger.Level.WARNING, "container " + c.id + " has a half-done start; undoing it");
                starter.cleanup(c.id);
            } else if (c.state.running()) {
                Path exit = paths.exitFile(c.id);
                if (Files.exists(exit)) {
                    continue; // the watcher reports it at start
                }
                if (c.state.conmonPid() > 0 && runtime.conmonAlive(c.state.conmonPid())) {
                    continue;
                }
                LOG.log(System.Logger.Level.WARNING, "container " + c.id + " lost its monitor; marking it exited");
                exits.onExit(c.id.value(), 255);
            }
        }
        exitWatcher.start();
        for (Container c : List.copyOf(registry.all())) {
            if (!c.removed && c.state.running()) {
                registry.watchLog(c);
            }
        }
        for (Container c : toRestart) {
            c.lock.lock();
            try {
                if (!c.removed && !c.state.running()) {
                    restarts.schedule(c, Duration.ZERO);
                }
            } finally {
                c.lock.unlock();
            }
        }
    }
}
