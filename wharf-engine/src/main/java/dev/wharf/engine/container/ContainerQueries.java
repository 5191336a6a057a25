package dev.wharf.engine.container;

import dev.wharf.base.error.InternalException;
import dev.wharf.base.id.ContainerId;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.network.ListedPort;
import dev.wharf.engine.network.NetworkService;
import dev.wharf.model.container.ContainerInspect;
import dev.wharf.model.container.ContainerSummary;
import dev.wharf.model.container.Health;
import dev.wharf.runtime.ContainerRuntime;
import dev.wharf.runtime.RuntimeCommandException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What is asked of containers without changing them: inspect, list, counts, top, and the exec target. */
final class ContainerQueries {

    private final ContainerRegistry registry;
    private final ContainerImages images;
    private final NetworkService networks;
    private final ContainerRuntime runtime;

    ContainerQueries(ContainerRegistry registry, ContainerImages images, NetworkService networks,
            ContainerRuntime runtime) {
        this.registry = registry;
        this.images = images;
        this.networks = networks;
        this.runtime = runtime;
    }

    ContainerInspect inspect(String idOrName) {
        Container c = registry.find(idOrName);
        return ContainerViews.inspect(c, registry.paths(), images.tagsOf(c.cfg.imageId()), networks);
    }

    List<ContainerSummary> list(boolean all, int limit, Filters filters) {
        ContainerFilter filter = ContainerFilter.compile(filters, v -> Instant.parse(registry.find(v).cfg.created()),
                images::withChildren);
        // Newest first; each creation time is parsed once, not once per comparison.
        Map<Container, Instant> created = new IdentityHashMap<>();
        for (Container c : registry.all()) {
            if (!c.removed) {
                created.put(c, Instant.parse(c.cfg.created()));
            }
        }
        List<Container> cs = created.keySet().stream()
                .sorted(Comparator.comparing((Container c) -> created.get(c)).reversed()
                        .thenComparing((Container c) -> c.id.value())).toList();
        List<ContainerSummary> out = new ArrayList<>();
        Map<String, List<String>> linkNames = Links.namesByChild(registry.all());
        for (Container c : cs) {
            // As Docker: stopped containers show with all, a limit, or a status filter.
            if (!all && limit <= 0 && !c.state.running() && !filter.listsStopped()) {
                continue;
            }
            List<ListedPort> ports = networks.listedPorts(c.id, c.state.running(), c.cfg.config().exposedPorts());
            if (!filter.test(ContainerViews.facts(c, networks, ports, created.get(c)))) {
                continue;
            }
            ContainerSummary s = ContainerViews.summary(c, networks, ports);
            if (linkNames.containsKey(c.name())) {
                List<String> names = new ArrayList<>(s.names());
                names.addAll(linkNames.get(c.name()));
                s = new ContainerSummary(s.id(), names, s.image(), s.imageId(), s.command(), s.created(), s.ports(),
                        s.sizeRw(), s.sizeRootFs(), s.labels(), s.state(), s.status(), s.hostConfig(),
                        s.networkSettings(), s.mounts());
            }
            out.add(s);
            if (limit > 0 && out.size() >= limit) {
                break;
            }
        }
        return out;
    }

    /** How many containers run, are paused or stopped ({@code /info}). */
    Map<String, Integer> counts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        int running = 0;
        int paused = 0;
        int stopped = 0;
        for (Container c : registry.all()) {
            switch (c.state.status()) {
                case RUNNING, RESTARTING -> running++;
                case PAUSED -> paused++;
                default -> stopped++;
            }
        }
        m.put("total", running + paused + stopped);
        m.put("running", running);
        m.put("paused", paused);
        m.put("stopped", stopped);
        return m;
    }

    /** {@code docker top}: the container's processes as the host's ps shows them. */
    Map<String, Object> top(String idOrName, String psArgs) {
        Container c = registry.find(idOrName);
        if (!c.state.running()) {
            throw Lifecycle.notRunning(c);
        }
        Top.Result r;
        try {
            r = Top.parse(runtime.ps(c.id, Top.args(psArgs)));
        } catch (RuntimeCommandException e) {
            throw new InternalException("ps: " + e.getMessage(), e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Titles", r.titles());
        out.put("Processes", r.processes());
        return out;
    }

    /** The container an exec runs in; 404 when there is none. */
    ExecTarget execTarget(String idOrName) {
        Container c = registry.find(idOrName);
        ContainerPaths paths = registry.paths();
        return new ExecTarget(c.id, c.name(), c.state.status(), paths.bundle(c.id), paths.rootfs(c.id),
                paths.socketDir(), c.cfg.config(), c.cfg.hostConfig().privileged(),
                ContainerRegistry.eventAttributes(c));
    }

    /** When the container's current run started (State.StartedAt); for the health monitor's start period. */
    Instant startedAt(ContainerId id) {
        Container c = registry.get(id);
        return c == null || c.state.startedAt().equals(StateRecord.ZERO) ? registry.clock().now()
                : Instant.parse(c.state.startedAt());
    }

    /** The container's State.Health as last set (persisted across restarts); null if none. */
    Health health(ContainerId id) {
        Container c = registry.get(id);
        return c == null ? null : c.health;
    }
}
