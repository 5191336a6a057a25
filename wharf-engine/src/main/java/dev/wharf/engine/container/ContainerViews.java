package dev.wharf.engine.container;

import dev.wharf.base.text.Human;
import dev.wharf.base.time.Rfc3339;
import dev.wharf.engine.network.ListedPort;
import dev.wharf.engine.network.NetworkService;
import dev.wharf.model.container.ContainerInspect;
import dev.wharf.model.container.ContainerState;
import dev.wharf.model.container.ContainerSummary;
import dev.wharf.model.container.Health;
import dev.wharf.model.container.HostConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders containers as inspect and list show them, and applies list filters. */
final class ContainerViews {

    private ContainerViews() {
    }

    static ContainerInspect inspect(Container c, ContainerPaths paths, List<String> imageTags,
            NetworkService networks) {
        StateRecord s = c.state;
        ContainerState st = new ContainerState(s.status().wire(), s.running(), s.is(ContainerStatus.PAUSED),
                s.is(ContainerStatus.RESTARTING), s.oomKilled(), s.is(ContainerStatus.DEAD), s.pid(), s.exitCode(),
                s.error() == null ? "" : s.error(), s.startedAt(), s.finishedAt(), c.health);
        HostConfig hc = c.cfg.hostConfig().withDefaults();
        Map<String, Object> graph = new LinkedHashMap<>();
        graph.put("Name", "overlay2");
        graph.put("Data", Map.of("UpperDir", paths.upper(c.id).toString(), "WorkDir", paths.work(c.id).toString(),
                "MergedDir", paths.rootfs(c.id).toString()));
        return new ContainerInspect(c.id.value(), c.cfg.created(), c.cfg.path(), c.cfg.args(), st, c.cfg.imageId(),
                paths.dir(c.id).resolve("resolv.conf").toString(), paths.dir(c.id).resolve("hostname").toString(),
                paths.dir(c.id).resolve("hosts").toString(), paths.log(c.id).toString(), "/" + c.name(),
                s.restartCount(), "overlay2", "linux", "", "", "", null, hc, graph, null, null, mounts(c, paths),
                c.cfg.config(), networks.settings(c.id, c.cfg.hostConfig().networkMode(), c.state.running(),
                        c.cfg.config().exposedPorts()));
    }

    static Map<String, Object> networkSettings(Container c) {
        String mode = c.cfg.hostConfig().networkMode();
        String net = mode == null || mode.isEmpty() || mode.equals("default") ? "bridge" : mode;
        Map<String, Object> ns = new LinkedHashMap<>();
        ns.put("Bridge", "");
        ns.put("SandboxID", "");
        ns.put("SandboxKey", c.state.running() && !"host".equals(net) ? "/proc/" + c.state.pid() + "/ns/net" : "");
        ns.put("Ports", Map.of());
        ns.put("HairpinMode", false);
        ns.put("LinkLocalIPv6Address", "");
        ns.put("LinkLocalIPv6PrefixLen", 0);
        ns.put("SecondaryIPAddresses", null);
        ns.put("SecondaryIPv6Addresses", null);
        ns.put("EndpointID", "");
        ns.put("Gateway", "");
        ns.put("GlobalIPv6Address", "");
        ns.put("GlobalIPv6PrefixLen", 0);
        ns.put("IPAddress", "");
        ns.put("IPPrefixLen", 0);
        ns.put("IPv6Gateway", "");
        ns.put("MacAddress", "");
        Map<String, Object> ep = new LinkedHashMap<>();
        ep.put("IPAMConfig", null);
        ep.put("Links", null);
        ep.put("Aliases", null);
        ep.put("NetworkID", "");
        ep.put("EndpointID", "");
        ep.put("Gateway", "");
        ep.put("IPAddress", "");
        ep.put("IPPrefixLen", 0);
        ep.put("IPv6Gateway", "");
        ep.put("GlobalIPv6Address", "");
        ep.put("GlobalIPv6PrefixLen", 0);
        ep.put("MacAddress", "");
        ep.put("DriverOpts", null);
        ns.put("Networks", Map.of(net, ep));
        return ns;
    }

    /** The container as list shows it; {@code ports} from {@link NetworkService#listedPorts}. */
    static ContainerSummary summary(Container c, NetworkService networks, List<ListedPort> ports) {
        StateRecord s = c.state;
        // Docker quotes arguments that hold a space: "sh -c 'echo hi'".
        List<String> argv = new ArrayList<>();
        argv.add(c.cfg.path());
        for (String a : c.cfg.args()) {
            argv.add(a.contains(" ") ? "'" + a + "'" : a);
        }
        String mode = c.cfg.hostConfig().networkMode();
        String net = mode == null || mode.isEmpty() || mode.equals("default") ? "bridge" : mode;
        Map<String, Object> nets = networks.summarySettings(c.id, mode, s.running());
        return new ContainerSummary(c.id.value(), List.of("/" + c.name()), c.cfg.config().image(), c.cfg.imageId(),
                String.join(" ", argv), Rfc3339.parse(c.cfg.created()).getEpochSecond(),
                NetworkService.summaryPorts(ports), null, null,
                c.cfg.config().labels() == null ? Map.of() : c.cfg.config().labels(), s.status().wire(),
                statusText(s) + healthSuffix(c),
                Map.of("NetworkMode", mode == null || mode.isEmpty() ? "default" : mode), nets,
                mounts(c, null));
    }

    /** {@code Mounts} as Docker shows them; {@code paths} null renders the list form (no data root). */
    static List<Object> mounts(Container c, ContainerPaths paths) {
        List<Object> out = new ArrayList<>();
        for (ContainerMount m : c.cfg.mounts() == null ? List.<ContainerMount>of() : c.cfg.mounts()) {
            String source = switch (m.type()) {
                case "volume" -> paths == null ? "" : paths.dataRoot().resolve("volumes").resolve(m.name())
                        .resolve("_data").toString();
                case "bind" -> m.source();
                default -> "";
            };
            if (paths == null && m.type().equals("volume")) {
                source = "";
            }
            out.add(new dev.wharf.model.container.MountPoint(m.type(), m.type().equals("volume") ? m.name() : null,
                    source, m.destination(), m.type().equals("volume") ? "local" : null, m.mode(), m.rw(),
                    m.propagation()));
        }
        return out;
    }

    /** Docker's human status: "Up 2 minutes", "Exited (0) 3 seconds ago", "Created". */
    static String statusText(StateRecord s) {
        if (s.is(ContainerStatus.EXITED) && s.finishedAt().startsWith("0001")) {
            return "Created"; // never ran: a failed first start
        }
        return Human.containerStatus(s.status().wire(), s.exitCode(), instant(s.startedAt()), instant(s.finishedAt()),
                Instant.now());
    }

    private static Instant instant(String rfc3339) {
        return rfc3339 == null || rfc3339.isEmpty() ? null : Rfc3339.parse(rfc3339);
    }

    /** " (healthy)", " (unhealthy)" or " (health: starting)" after "Up …", as docker ps shows it. */
    static String healthSuffix(Container c) {
        Health h = c.health;
        if (h == null || !c.state.is(ContainerStatus.RUNNING)) {
            return "";
        }
        return h.status().equals(Health.STARTING) ? " (health: starting)" : " (" + h.status() + ")";
    }

    /** {@code health} list filter: starting, healthy, unhealthy or none. */
    static String healthStatus(Container c) {
        Health h = c.health;
        return h == null ? "none" : h.status();
    }

    /** What the list filters look at, from the container and its list entry. */
    static ContainerFilter.Facts facts(Container c, NetworkService networks, List<ListedPort> listed,
            Instant created) {
        List<ContainerFilter.Mount> mounts = new ArrayList<>();
        for (ContainerMount m : c.cfg.mounts() == null ? List.<ContainerMount>of() : c.cfg.mounts()) {
            String name = m.type().equals("volume") ? m.name() : m.source();
            mounts.add(new ContainerFilter.Mount(name == null ? "" : name, m.destination()));
        }
        Map<String, String> nets = networks.networkIds(c.id, c.cfg.hostConfig().networkMode());
        List<ContainerFilter.Port> ports = new ArrayList<>();
        for (ListedPort p : listed) {
            ports.add(new ContainerFilter.Port(p.privatePort(), p.publicPort(), p.type()));
        }
        StateRecord st = c.state;
        return new ContainerFilter.Facts(c.id.value(), c.name(), c.cfg.config().labels(), st.status().wire(),
                st.running(), st.exitCode(), st.startedAt() != null && !st.startedAt().startsWith("0001"), healthStatus(c),
                c.cfg.imageId(), created, c.host().isolation(), mounts, nets, ports);
    }
}
