package dev.wharf.compose.run;

import dev.wharf.compose.model.Deploy;
import dev.wharf.compose.model.FileObject;
import dev.wharf.compose.model.Labels;
import dev.wharf.compose.model.Project;
import dev.wharf.compose.model.Service;
import dev.wharf.compose.model.Service.Mount;
import dev.wharf.compose.model.Service.Port;
import dev.wharf.compose.model.Service.ServiceNetwork;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.HostConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code POST /containers/create} body of one replica of a service, as Docker Compose makes
 * it: the service's settings, the compose labels, and one endpoint per network with the
 * container's name, the service's name and its aliases as DNS names. {@code serviceAlias} false
 * leaves the service name and aliases out, so a replica in a rolling update joins the service's
 * name only once it is healthy.
 */
final class CreateBody {

    private CreateBody() {
    }

    /** {@code project-service-N}, or the service's {@code container_name}. */
    static String containerName(Project p, Service s, int number) {
        return s.containerName() != null ? s.containerName() : p.name() + "-" + s.name() + "-" + number;
    }

    static Map<String, String> labels(Project p, Service s, int number, String hash, String imageId, boolean oneoff) {
        Map<String, String> l = new TreeMap<>(s.labels());
        l.put(Labels.PROJECT, p.name());
        l.put(Labels.SERVICE, s.name());
        l.put(Labels.VERSION, Labels.COMPOSE_VERSION);
        l.put(Labels.WORKING_DIR, p.workingDir().toString());
        l.put(Labels.CONFIG_FILES, String.join(",", p.configFiles().stream().map(Object::toString).toList()));
        if (!p.envFiles().isEmpty()) {
            l.put(Labels.ENVIRONMENT_FILE, String.join(",", p.envFiles().stream().map(Object::toString).toList()));
        }
        l.put(Labels.ONEOFF, oneoff ? "True" : "False");
        l.put(Labels.CONFIG_HASH, hash);
        l.put(Labels.CONTAINER_NUMBER, Integer.toString(number));
        if (imageId != null) {
            l.put(Labels.IMAGE, imageId);
        }
        List<String> deps = new ArrayList<>();
        s.dependsOn().forEach((k, d) -> deps.add(k + ":" + d.condition() + ":" + d.restart()));
        l.put(Labels.DEPENDS_ON, String.join(",", deps));
        return l;
    }

    static ContainerCreateRequest of(Project p, Service s, int number, String hash, String imageId, boolean serviceAlias) {
        String name = containerName(p, s, number);
        Map<String, Object> other = new LinkedHashMap<>();
        if (s.healthcheck() != null) {
            other.put("Healthcheck", healthcheck(s.healthcheck()));
        }
        Map<String, Object> exposed = new TreeMap<>();
        s.expose().forEach(e -> exposed.put(e, Map.of()));
        s.ports().forEach(pt -> exposed.put(pt.target() + "/" + pt.protocol(), Map.of()));
        List<String> env = new ArrayList<>();
        s.environment().forEach((k, v) -> env.add(k + "=" + v));
        Integer stopTimeout = s.stopGracePeriod() == null ? null : (int) s.stopGracePeriod().toSeconds();
        ContainerConfig cfg = new ContainerConfig(nz(s.hostname()), nz(s.domainname()), nz(s.user()), false, true, true,
                exposed.isEmpty() ? null : exposed, s.tty(), s.stdinOpen(), false, env, s.command(), s.imageName(p.name()),
                null, nz(s.workingDir()), s.entrypoint(), labels(p, s, number, hash, imageId, false), s.stopSignal(),
                stopTimeout, other);
        return new ContainerCreateRequest(cfg, hostConfig(p, s), networking(p, s, name, serviceAlias));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static long nanos(Duration d) {
        return d == null ? 0 : d.toNanos();
    }

    static Map<String, Object> healthcheck(Service.Healthcheck h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Test", h.disable() ? List.of("NONE") : h.test());
        m.put("Interval", nanos(h.interval()));
        m.put("Timeout", nanos(h.timeout()));
        m.put("StartPeriod", nanos(h.startPeriod()));
        m.put("StartInterval", nanos(h.startInterval()));
        m.put("Retries", h.retries() == null ? 0 : h.retries());
        return m;
    }

    private static HostConfig hostConfig(Project p, Service s) {
        Map<String, Object> o = new LinkedHashMap<>();
        List<String> binds = new ArrayList<>();
        List<Map<String, Object>> mounts = new ArrayList<>();
        for (Mount m : s.volumes()) {
            mount(p, m, binds, mounts);
        }
        for (Service.FileMount f : s.secrets()) {
            fileMount(p.secrets().get(f.source()), f, binds);
        }
        for (Service.FileMount f : s.configs()) {
            fileMount(p.configs().get(f.source()), f, binds);
        }
        if (!mounts.isEmpty()) {
            o.put("Mounts", mounts);
        }
        Map<String, List<Map<String, String>>> bindings = new TreeMap<>();
        for (Port pt : s.ports()) {
            Map<String, String> b = new LinkedHashMap<>();
            b.put("HostIp", pt.hostIp() == null ? "" : pt.hostIp());
            b.put("HostPort", pt.published() == null ? "" : pt.published());
            bindings.computeIfAbsent(pt.target() + "/" + pt.protocol(), k -> new ArrayList<>()).add(b);
        }
        if (!bindings.isEmpty()) {
            o.put("PortBindings", bindings);
        }
        put(o, "CapAdd", s.capAdd());
        put(o, "CapDrop", s.capDrop());
        put(o, "Dns", s.dns());
        put(o, "DnsSearch", s.dnsSearch());
        put(o, "DnsOptions", s.dnsOpt());
        put(o, "ExtraHosts", s.extraHosts());
        put(o, "SecurityOpt", s.securityOpt());
        put(o, "GroupAdd", s.groupAdd());
        put(o, "VolumesFrom", s.volumesFrom().stream().map(v -> volumesFrom(p, v)).toList());
        put(o, "Links", links(p, s));
        if (s.init() != null) {
            o.put("Init", s.init());
        }
        if (!s.tmpfs().isEmpty()) {
            Map<String, String> t = new TreeMap<>();
            for (String spec : s.tmpfs()) {
                int c = spec.indexOf(':');
                t.put(c < 0 ? spec : spec.substring(0, c), c < 0 ? "" : spec.substring(c + 1));
            }
            o.put("Tmpfs", t);
        }
        if (!s.sysctls().isEmpty()) {
            o.put("Sysctls", s.sysctls());
        }
        if (!s.ulimits().isEmpty()) {
            List<Map<String, Object>> u = new ArrayList<>();
            s.ulimits().forEach((k, v) -> u.add(Map.of("Name", k, "Soft", v.soft(), "Hard", v.hard())));
            o.put("Ulimits", u);
        }
        Service.Resources r = s.resources();
        if (r != null) {
            putNum(o, "Memory", r.memory());
            putNum(o, "MemoryReservation", r.memoryReservation());
            putNum(o, "MemorySwap", r.memswapLimit());
            putNum(o, "NanoCpus", r.nanoCpus());
            putNum(o, "CpuShares", r.cpuShares());
            putNum(o, "PidsLimit", r.pidsLimit());
            if (r.cpuset() != null) {
                o.put("CpusetCpus", r.cpuset());
            }
        }
        if (s.pid() != null) {
            o.put("PidMode", serviceMode(p, s.pid()));
        }
        if (s.ipc() != null) {
            o.put("IpcMode", serviceMode(p, s.ipc()));
        }
        if (s.oomScoreAdj() != null) {
            o.put("OomScoreAdj", s.oomScoreAdj());
        }
        HostConfig.LogConfig log = s.logging() == null ? null
                : new HostConfig.LogConfig(nz(s.logging().driver()), s.logging().options());
        return new HostConfig(networkMode(p, s), false, log, restartPolicy(s), binds.isEmpty() ? null : binds,
                s.privileged(), s.readOnly(), null, s.shmSize(), s.runtime(), o);
    }

    private static void put(Map<String, Object> o, String k, List<String> v) {
        if (v != null && !v.isEmpty()) {
            o.put(k, v);
        }
    }

    private static void putNum(Map<String, Object> o, String k, Long v) {
        if (v != null) {
            o.put(k, v);
        }
    }

    private static void mount(Project p, Mount m, List<String> binds, List<Map<String, Object>> mounts) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (m.type()) {
            case "bind" -> {
                boolean create = m.bind() == null || !Boolean.FALSE.equals(m.bind().get("create_host_path"));
                String prop = m.bind() == null ? null : (String) m.bind().get("propagation");
                if (create && prop == null) {
                    // the Binds form creates a missing host directory, as Docker Compose relies on
                    binds.add(m.source() + ":" + m.target() + (m.readOnly() ? ":ro" : ":rw"));
                    return;
                }
                out.put("Type", "bind");
                out.put("Source", m.source());
                if (prop != null) {
                    out.put("BindOptions", Map.of("Propagation", prop));
                }
            }
            case "volume" -> {
                out.put("Type", "volume");
                if (m.source() != null) {
                    out.put("Source", p.volumeName(m.source()));
                }
                if (m.volume() != null && Boolean.TRUE.equals(m.volume().get("nocopy"))) {
                    out.put("VolumeOptions", Map.of("NoCopy", true));
                }
            }
            default -> {
                out.put("Type", "tmpfs");
                Map<String, Object> t = new LinkedHashMap<>();
                if (m.tmpfs() != null && m.tmpfs().get("size") != null) {
                    t.put("SizeBytes", m.tmpfs().get("size"));
                }
                if (m.tmpfs() != null && m.tmpfs().get("mode") != null) {
                    t.put("Mode", Integer.parseInt(String.valueOf(m.tmpfs().get("mode")), 8));
                }
                if (!t.isEmpty()) {
                    out.put("TmpfsOptions", t);
                }
            }
        }
        out.put("Target", m.target());
        if (m.readOnly()) {
            out.put("ReadOnly", true);
        }
        mounts.add(out);
    }

    /** A secret or config from a file, bound read-only; inline ones are copied in after create. */
    private static void fileMount(FileObject f, Service.FileMount mount, List<String> binds) {
        if (f != null && f.file() != null) {
            binds.add(f.file() + ":" + mount.target() + ":ro");
        }
    }

    private static HostConfig.RestartPolicy restartPolicy(Service s) {
        String name = s.restart();
        int max = 0;
        Deploy.RestartPolicy dp = s.deploy() == null ? null : s.deploy().restartPolicy();
        if (dp != null && dp.condition() != null) {
            name = switch (dp.condition()) {
                case "none" -> "no";
                case "any" -> "always";
                default -> dp.condition();
            };
            max = dp.maxAttempts() == null ? 0 : dp.maxAttempts();
        } else if (name != null && name.startsWith("on-failure:")) {
            max = Integer.parseInt(name.substring("on-failure:".length()));
            name = "on-failure";
        }
        return name == null ? null : new HostConfig.RestartPolicy(name, max);
    }

    private static String networkMode(Project p, Service s) {
        if (s.networkMode() != null) {
            return serviceMode(p, s.networkMode());
        }
        return p.networkName(primary(s));
    }

    /** A network, IPC or PID mode: {@code service:x} is the mode of x's first container. */
    private static String serviceMode(Project p, String mode) {
        return mode.startsWith("service:") ? "container:" + firstContainer(p, mode.substring("service:".length()))
                : mode;
    }

    private static String firstContainer(Project p, String service) {
        return container(p, service, 1);
    }

    /** Container {@code number} of a service of the project, by its name or {@code container_name}. */
    private static String container(Project p, String service, int number) {
        Service other = p.services().get(service);
        return other == null ? p.name() + "-" + service + "-" + number : containerName(p, other, number);
    }

    /** {@code service[:ro|rw]} names the service's first container; {@code container:name[:mode]} a container. */
    private static String volumesFrom(Project p, String spec) {
        if (spec.startsWith("container:")) {
            return spec.substring("container:".length());
        }
        String[] parts = spec.split(":", 2);
        return firstContainer(p, parts[0]) + (parts.length > 1 ? ":" + parts[1] : "");
    }

    /**
     * Legacy links as Docker Compose makes them: each container of a linked service under the
     * link's alias (the service's name when none is given), and external containers as named.
     */
    private static List<String> links(Project p, Service s) {
        List<String> out = new ArrayList<>();
        for (String link : s.links()) {
            String[] parts = link.split(":", 2);
            String alias = parts.length > 1 ? parts[1] : parts[0];
            Service other = p.services().get(parts[0]);
            for (int i = 1; i <= (other == null ? 1 : other.replicas()); i++) {
                out.add(container(p, parts[0], i) + ":" + alias);
            }
        }
        for (String link : s.externalLinks()) {
            String[] parts = link.split(":", 2);
            out.add(parts[0] + ":" + (parts.length > 1 ? parts[1] : parts[0]));
        }
        return out;
    }

    /** The network with the highest priority (then the first by name): the container's NetworkMode. */
    static String primary(Service s) {
        return s.networks().entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, ServiceNetwork> e) -> -e.getValue().priority())
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).findFirst().orElse("default");
    }

    private static Map<String, Object> networking(Project p, Service s, String name, boolean serviceAlias) {
        if (s.networkMode() != null) {
            return null;
        }
        Map<String, Object> eps = new LinkedHashMap<>();
        s.networks().forEach((key, n) -> eps.put(p.networkName(key), endpoint(s, name, n, serviceAlias)));
        return Map.of("EndpointsConfig", eps);
    }

    static Map<String, Object> endpoint(Service s, String name, ServiceNetwork n, boolean serviceAlias) {
        Map<String, Object> ep = new LinkedHashMap<>();
        List<String> aliases = new ArrayList<>();
        aliases.add(name);
        if (serviceAlias) {
            aliases.add(s.name());
            aliases.addAll(n.aliases());
        }
        ep.put("Aliases", aliases);
        if (n.ipv4Address() != null || n.ipv6Address() != null) {
            Map<String, Object> ipam = new LinkedHashMap<>();
            if (n.ipv4Address() != null) {
                ipam.put("IPv4Address", n.ipv4Address());
            }
            if (n.ipv6Address() != null) {
                ipam.put("IPv6Address", n.ipv6Address());
            }
            ep.put("IPAMConfig", ipam);
        }
        return ep;
    }
}
