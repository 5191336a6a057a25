package dev.wharf.compose.load;

import static dev.wharf.compose.load.Fields.bool;
import static dev.wharf.compose.load.Fields.boolOrNull;
import static dev.wharf.compose.load.Fields.bytes;
import static dev.wharf.compose.load.Fields.checkKeys;
import static dev.wharf.compose.load.Fields.command;
import static dev.wharf.compose.load.Fields.duration;
import static dev.wharf.compose.load.Fields.error;
import static dev.wharf.compose.load.Fields.integer;
import static dev.wharf.compose.load.Fields.items;
import static dev.wharf.compose.load.Fields.longValue;
import static dev.wharf.compose.load.Fields.map;
import static dev.wharf.compose.load.Fields.mapOrEmpty;
import static dev.wharf.compose.load.Fields.number;
import static dev.wharf.compose.load.Fields.str;
import static dev.wharf.compose.load.Fields.stringMap;
import static dev.wharf.compose.load.Fields.strings;

import dev.wharf.compose.load.YNode.YMap;
import dev.wharf.compose.load.YNode.YScalar;
import dev.wharf.compose.load.YNode.YSeq;
import dev.wharf.compose.model.Deploy;
import dev.wharf.compose.model.Service;
import dev.wharf.compose.model.Service.Build;
import dev.wharf.compose.model.Service.Dependency;
import dev.wharf.compose.model.Service.FileMount;
import dev.wharf.compose.model.Service.Healthcheck;
import dev.wharf.compose.model.Service.Logging;
import dev.wharf.compose.model.Service.Mount;
import dev.wharf.compose.model.Service.Port;
import dev.wharf.compose.model.Service.Resources;
import dev.wharf.compose.model.Service.ServiceNetwork;
import dev.wharf.compose.model.Service.Ulimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads one {@code services.NAME} mapping into a {@link Service}, checking every key. */
final class ServiceReader {

    static final Set<String> KEYS = Set.of("image", "build", "command", "entrypoint", "environment", "env_file",
            "ports", "expose", "volumes", "tmpfs", "networks", "network_mode", "depends_on", "healthcheck", "restart",
            "user", "working_dir", "labels", "container_name", "hostname", "domainname", "extra_hosts", "dns",
            "dns_search", "dns_opt", "cap_add", "cap_drop", "privileged", "read_only", "ulimits", "mem_limit",
            "memswap_limit", "mem_reservation", "cpus", "cpu_shares", "cpuset", "pids_limit", "deploy", "scale",
            "profiles", "init", "stop_signal", "stop_grace_period", "logging", "secrets", "configs", "tty",
            "stdin_open", "shm_size", "sysctls", "security_opt", "group_add", "pid", "ipc", "pull_policy", "platform",
            "runtime", "volumes_from", "oom_score_adj", "mac_address", "links", "external_links");

    /** What a service may refer to, and where relative paths start. */
    record Context(Path projectDir, Map<String, String> env, Set<String> networks, Set<String> volumes,
            Set<String> secrets, Set<String> configs, Set<String> services, String home) {
    }

    private final Context ctx;

    ServiceReader(Context ctx) {
        this.ctx = ctx;
    }

    Service read(String name, YNode node) {
        String p = "services." + name;
        YMap m = mapOrEmpty(node, p);
        checkKeys(m, p, KEYS);
        String image = str(m.get("image"), p + ".image");
        Build build = m.get("build") == null ? null : build(m.get("build"), p + ".build");
        if ((image == null || image.isBlank()) && build == null) {
            throw error(m, p, "service has neither an image nor a build context specified");
        }
        Map<String, String> env = environment(m, p);
        List<Port> ports = ports(m.get("ports"), p + ".ports");
        List<Mount> volumes = mounts(m.get("volumes"), p + ".volumes");
        String networkMode = str(m.get("network_mode"), p + ".network_mode");
        Map<String, ServiceNetwork> networks = networks(m.get("networks"), p + ".networks");
        if (networkMode != null && !networks.isEmpty()) {
            throw error(m.get("network_mode"), p + ".network_mode", "network_mode and networks cannot be combined");
        }
        Integer scale = integer(m.get("scale"), p + ".scale");
        Deploy deploy = m.get("deploy") == null ? null : DeployReader.deploy(m.get("deploy"), p + ".deploy");
        String containerName = str(m.get("container_name"), p + ".container_name");
        int replicas = deploy != null && deploy.replicas() != null ? deploy.replicas() : scale != null ? scale : 1;
        if (containerName != null && replicas > 1) {
            throw error(m.get("container_name"), p + ".container_name", "can't set container_name when the service has "
                    + replicas + " replicas, as container names must be unique");
        }
        String restart = str(m.get("restart"), p + ".restart");
        if (restart != null && !restart.matches("no|always|unless-stopped|on-failure(:\\d+)?")) {
            throw error(m.get("restart"), p + ".restart", "invalid restart policy \"" + restart
                    + "\" (no, always, on-failure[:N] or unless-stopped)");
        }
        List<String> links = strings(m.get("links"), p + ".links");
        String ipc = str(m.get("ipc"), p + ".ipc");
        String pid = str(m.get("pid"), p + ".pid");
        List<String> volumesFrom = strings(m.get("volumes_from"), p + ".volumes_from");
        Map<String, Dependency> dependsOn = dependsOn(m.get("depends_on"), p + ".depends_on");
        implicitDependencies(dependsOn, networkMode, ipc, pid, volumesFrom, links, m, p);
        return new Service(name, image, build, command(m.get("command"), p + ".command"),
                command(m.get("entrypoint"), p + ".entrypoint"), env, ports, expose(m.get("expose"), p + ".expose"),
                volumes, strings(m.get("tmpfs"), p + ".tmpfs"), networks, networkMode,
                dependsOn, healthcheck(m.get("healthcheck"), p + ".healthcheck"),
                restart, str(m.get("user"), p + ".user"), str(m.get("working_dir"), p + ".working_dir"),
                new TreeMap<>(nonNull(stringMap(m.get("labels"), p + ".labels"))), containerName,
                str(m.get("hostname"), p + ".hostname"), str(m.get("domainname"), p + ".domainname"),
                extraHosts(m.get("extra_hosts"), p + ".extra_hosts"), strings(m.get("dns"), p + ".dns"),
                strings(m.get("dns_search"), p + ".dns_search"), strings(m.get("dns_opt"), p + ".dns_opt"),
                strings(m.get("cap_add"), p + ".cap_add"), strings(m.get("cap_drop"), p + ".cap_drop"),
                bool(m.get("privileged"), p + ".privileged"), bool(m.get("read_only"), p + ".read_only"),
                ulimits(m.get("ulimits"), p + ".ulimits"), DeployReader.resources(m, p), deploy, scale,
                strings(m.get("profiles"), p + ".profiles"), boolOrNull(m.get("init"), p + ".init"),
                str(m.get("stop_signal"), p + ".stop_signal"), duration(m.get("stop_grace_period"), p + ".stop_grace_period"),
                logging(m.get("logging"), p + ".logging"), fileMounts(m.get("secrets"), p + ".secrets", ctx.secrets(), "/run/secrets/"),
                fileMounts(m.get("configs"), p + ".configs", ctx.configs(), "/"), bool(m.get("tty"), p + ".tty"),
                bool(m.get("stdin_open"), p + ".stdin_open"), bytes(m.get("shm_size"), p + ".shm_size"),
                nonNull(stringMap(m.get("sysctls"), p + ".sysctls")), strings(m.get("security_opt"), p + ".security_opt"),
                strings(m.get("group_add"), p + ".group_add"), pid, ipc,
                str(m.get("pull_policy"), p + ".pull_policy"), str(m.get("platform"), p + ".platform"),
                str(m.get("runtime"), p + ".runtime"), volumesFrom,
                integer(m.get("oom_score_adj"), p + ".oom_score_adj"), str(m.get("mac_address"), p + ".mac_address"),
                links, strings(m.get("external_links"), p + ".external_links"));
    }

    private static Map<String, String> nonNull(Map<String, String> m) {
        m.replaceAll((k, v) -> v == null ? "" : v);
        return m;
    }

    private Build build(YNode n, String p) {
        YMap m = n instanceof YScalar s ? new YMap(Map.of("context", s), Map.of("context", s.at()), s.at(), null)
                : map(n, p);
        checkKeys(m, p, Set.of("context", "dockerfile", "args", "target", "labels", "network", "no_cache", "pull",
                "shm_size", "extra_hosts", "cache_from"));
        String context = str(m.get("context"), p + ".context");
        String abs = ShortSyntax.hostPath(context == null ? "." : context, ctx.projectDir().toString(), ctx.home());
        if (!Files.isDirectory(Path.of(abs))) {
            throw error(m.get("context") == null ? m : m.get("context"), p + ".context",
                    "build context " + abs + " is not a directory");
        }
        Map<String, String> args = stringMap(m.get("args"), p + ".args");
        args.replaceAll((k, v) -> v == null ? ctx.env().get(k) : v);
        args.values().removeIf(v -> v == null);
        return new Build(abs, str(m.get("dockerfile"), p + ".dockerfile"), new TreeMap<>(args),
                str(m.get("target"), p + ".target"), nonNull(stringMap(m.get("labels"), p + ".labels")),
                str(m.get("network"), p + ".network"), bool(m.get("no_cache"), p + ".no_cache"),
                bool(m.get("pull"), p + ".pull"), bytes(m.get("shm_size"), p + ".shm_size"),
                extraHosts(m.get("extra_hosts"), p + ".extra_hosts"), strings(m.get("cache_from"), p + ".cache_from"));
    }

    /** {@code env_file}s first, then {@code environment}; a bare {@code KEY} takes the project's environment. */
    private Map<String, String> environment(YMap m, String p) {
        Map<String, String> out = new TreeMap<>();
        YNode files = m.get("env_file");
        if (files != null) {
            List<YNode> items = files instanceof YSeq s ? s.items() : List.of(files);
            for (int i = 0; i < items.size(); i++) {
                YNode item = items.get(i);
                String fp = p + ".env_file[" + i + "]";
                String path;
                boolean required = true;
                if (item instanceof YMap fm) {
                    checkKeys(fm, fp, Set.of("path", "required", "format"));
                    path = str(fm.get("path"), fp + ".path");
                    Boolean r = boolOrNull(fm.get("required"), fp + ".required");
                    required = r == null || r;
                } else {
                    path = str(item, fp);
                }
                if (path == null) {
                    throw error(item, fp, "env_file needs a path");
                }
                Path file = Path.of(ShortSyntax.hostPath(path, ctx.projectDir().toString(), ctx.home()));
                if (!Files.isRegularFile(file)) {
                    if (required) {
                        throw error(item, fp, "env file " + file + " not found");
                    }
                    continue;
                }
                out.putAll(DotEnv.read(file, ctx.env()));
            }
        }
        Map<String, String> env = stringMap(m.get("environment"), p + ".environment");
        env.forEach((k, v) -> {
            if (v == null) {
                String fromEnv = ctx.env().get(k);
                if (fromEnv != null) {
                    out.put(k, fromEnv);
                }
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    private static List<Port> ports(YNode n, String p) {
        List<Port> out = new ArrayList<>();
        for (Fields.Item it : items(n, p)) {
            YNode item = it.node();
            String ip = it.path();
            if (item instanceof YMap pm) {
                checkKeys(pm, ip, Set.of("target", "published", "host_ip", "protocol", "mode", "name", "app_protocol"));
                Integer target = integer(pm.get("target"), ip + ".target");
                if (target == null || target < 1 || target > 65535) {
                    throw error(pm, ip + ".target", "a port needs a target between 1 and 65535");
                }
                String published = str(pm.get("published"), ip + ".published");
                String protocol = str(pm.get("protocol"), ip + ".protocol");
                out.add(new Port(target, published, str(pm.get("host_ip"), ip + ".host_ip"),
                        protocol == null ? "tcp" : protocol, str(pm.get("mode"), ip + ".mode")));
            } else {
                String spec = str(item, ip);
                try {
                    out.addAll(ShortSyntax.ports(spec));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw error(item, ip, e.getMessage() == null ? "invalid port" : e.getMessage());
                }
            }
        }
        return out;
    }

    private static List<String> expose(YNode n, String p) {
        List<String> out = new ArrayList<>();
        for (String e : strings(n, p)) {
            out.add(e.contains("/") ? e : e + "/tcp");
        }
        return out;
    }

    private List<Mount> mounts(YNode n, String p) {
        List<Mount> out = new ArrayList<>();
        for (Fields.Item it : items(n, p)) {
            YNode item = it.node();
            String ip = it.path();
            Mount mt;
            if (item instanceof YMap vm) {
                mt = longMount(vm, ip);
            } else {
                try {
                    mt = ShortSyntax.volume(str(item, ip), ctx.projectDir().toString(), ctx.home());
                } catch (IllegalArgumentException e) {
                    throw error(item, ip, e.getMessage());
                }
            }
            if (mt.type().equals("volume") && mt.source() != null && !ctx.volumes().contains(mt.source())) {
                throw error(item, ip, "service refers to undefined volume " + mt.source());
            }
            out.add(mt);
        }
        return out;
    }

    private Mount longMount(YMap vm, String ip) {
        checkKeys(vm, ip, Set.of("type", "source", "target", "read_only", "bind", "volume", "tmpfs", "consistency"));
        String type = str(vm.get("type"), ip + ".type");
        if (type == null || !List.of("volume", "bind", "tmpfs").contains(type)) {
            throw error(vm.get("type") == null ? vm : vm.get("type"), ip + ".type", "type must be volume, bind or tmpfs");
        }
        String target = str(vm.get("target"), ip + ".target");
        if (target == null || !target.startsWith("/")) {
            throw error(vm, ip + ".target", "a mount needs an absolute target path");
        }
        String source = str(vm.get("source"), ip + ".source");
        if (type.equals("bind")) {
            if (source == null) {
                throw error(vm, ip + ".source", "a bind mount needs a source");
            }
            source = ShortSyntax.hostPath(source, ctx.projectDir().toString(), ctx.home());
        }
        Map<String, Object> bind = options(vm.get("bind"), ip + ".bind", Set.of("propagation", "create_host_path", "selinux"));
        Map<String, Object> vol = options(vm.get("volume"), ip + ".volume", Set.of("nocopy", "subpath"));
        Map<String, Object> tmpfs = options(vm.get("tmpfs"), ip + ".tmpfs", Set.of("size", "mode"));
        if (tmpfs.get("size") instanceof String s) {
            tmpfs.put("size", bytes(new YScalar(s, YScalar.Kind.STRING, vm.at(), null), ip + ".tmpfs.size"));
        }
        return new Mount(type, source, target, bool(vm.get("read_only"), ip + ".read_only"), bind, vol, tmpfs,
                str(vm.get("consistency"), ip + ".consistency"));
    }

    private static Map<String, Object> options(YNode n, String p, Set<String> keys) {
        Map<String, Object> out = new TreeMap<>();
        if (n == null) {
            return out;
        }
        YMap m = map(n, p);
        checkKeys(m, p, keys);
        m.entries().forEach((k, v) -> {
            String s = str(v, p + "." + k);
            Boolean b = s != null && s.matches("true|false") ? Boolean.valueOf(s) : null;
            out.put(k, b != null ? b : s);
        });
        return out;
    }

    private Map<String, ServiceNetwork> networks(YNode n, String p) {
        Map<String, ServiceNetwork> out = new TreeMap<>();
        if (n == null) {
            return out;
        }
        YNode asMap = Merger.asMapping(n, "networks");
        YMap m = map(asMap, p);
        for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
            String np = p + "." + e.getKey();
            if (!ctx.networks().contains(e.getKey())) {
                throw new ComposeFileException(m.keyAt(e.getKey()), np, "service refers to undefined network " + e.getKey());
            }
            YMap nm = mapOrEmpty(e.getValue(), np);
            checkKeys(nm, np, Set.of("aliases", "ipv4_address", "ipv6_address", "priority", "mac_address", "link_local_ips"));
            Integer prio = integer(nm.get("priority"), np + ".priority");
            out.put(e.getKey(), new ServiceNetwork(strings(nm.get("aliases"), np + ".aliases"),
                    str(nm.get("ipv4_address"), np + ".ipv4_address"), str(nm.get("ipv6_address"), np + ".ipv6_address"),
                    prio == null ? 0 : prio));
        }
        return out;
    }

    /**
     * What a service uses of another makes it depend on that one, as Docker Compose has it: a
     * {@code service:} network, IPC or PID mode, {@code volumes_from} a service, and {@code links}
     * (the other starts first, and its containers exist for the names these refer to).
     */
    private void implicitDependencies(Map<String, Dependency> dependsOn, String networkMode, String ipc, String pid,
            List<String> volumesFrom, List<String> links, YMap m, String p) {
        Map<String, String> used = new LinkedHashMap<>(); // service -> the key that uses it
        String[][] modes = {{"network_mode", networkMode}, {"ipc", ipc}, {"pid", pid}};
        for (String[] mode : modes) {
            if (mode[1] != null && mode[1].startsWith("service:")) {
                used.putIfAbsent(mode[1].substring("service:".length()), mode[0]);
            }
        }
        for (String v : volumesFrom) {
            if (!v.startsWith("container:")) {
                used.putIfAbsent(v.split(":", 2)[0], "volumes_from");
            }
        }
        for (String l : links) {
            used.putIfAbsent(l.split(":", 2)[0], "links");
        }
        used.forEach((service, key) -> {
            if (!ctx.services().contains(service)) {
                throw error(m.get(key), p + "." + key, "depends on undefined service " + service);
            }
            dependsOn.putIfAbsent(service, new Dependency(Dependency.STARTED, false, true));
        });
    }

    private Map<String, Dependency> dependsOn(YNode n, String p) {
        Map<String, Dependency> out = new TreeMap<>();
        if (n == null) {
            return out;
        }
        YMap m = map(Merger.asMapping(n, "depends_on"), p);
        for (Map.Entry<String, YNode> e : m.entries().entrySet()) {
            String dp = p + "." + e.getKey();
            YMap dm = mapOrEmpty(e.getValue(), dp);
            checkKeys(dm, dp, Set.of("condition", "restart", "required"));
            String cond = str(dm.get("condition"), dp + ".condition");
            cond = cond == null ? Dependency.STARTED : cond;
            if (!List.of(Dependency.STARTED, Dependency.HEALTHY, Dependency.COMPLETED).contains(cond)) {
                throw error(dm.get("condition"), dp + ".condition", "invalid condition \"" + cond + "\" ("
                        + Dependency.STARTED + ", " + Dependency.HEALTHY + " or " + Dependency.COMPLETED + ")");
            }
            Boolean req = boolOrNull(dm.get("required"), dp + ".required");
            boolean required = req == null || req;
            if (!ctx.services().contains(e.getKey()) && required) {
                throw new ComposeFileException(m.keyAt(e.getKey()), dp, "depends on undefined service " + e.getKey());
            }
            out.put(e.getKey(), new Dependency(cond, bool(dm.get("restart"), dp + ".restart"), required));
        }
        return out;
    }

    private static Healthcheck healthcheck(YNode n, String p) {
        if (n == null) {
            return null;
        }
        YMap m = map(n, p);
        checkKeys(m, p, Set.of("test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"));
        List<String> test = null;
        YNode t = m.get("test");
        if (t instanceof YScalar s && !s.isNull()) {
            test = List.of("CMD-SHELL", s.value());
        } else if (t != null) {
            test = strings(t, p + ".test");
            if (!test.isEmpty() && !List.of("NONE", "CMD", "CMD-SHELL").contains(test.getFirst())) {
                throw error(t, p + ".test", "a test list must start with NONE, CMD or CMD-SHELL");
            }
        }
        Integer retries = integer(m.get("retries"), p + ".retries");
        if (retries != null && retries < 0) {
            throw error(m.get("retries"), p + ".retries", "must not be negative");
        }
        return new Healthcheck(test, duration(m.get("interval"), p + ".interval"), duration(m.get("timeout"), p + ".timeout"),
                retries, duration(m.get("start_period"), p + ".start_period"),
                duration(m.get("start_interval"), p + ".start_interval"), bool(m.get("disable"), p + ".disable"));
    }

    private static List<String> extraHosts(YNode n, String p) {
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n instanceof YMap m) {
            m.entries().forEach((k, v) -> out.add(k + ":" + str(v, p + "." + k)));
            return out;
        }
        for (String h : strings(n, p)) {
            int eq = h.indexOf('=');
            out.add(eq >= 0 ? h.substring(0, eq) + ":" + h.substring(eq + 1) : h);
        }
        return out;
    }

    private static Map<String, Ulimit> ulimits(YNode n, String p) {
        Map<String, Ulimit> out = new TreeMap<>();
        if (n == null) {
            return out;
        }
        YMap m = map(n, p);
        m.entries().forEach((k, v) -> {
            String up = p + "." + k;
            if (v instanceof YMap um) {
                checkKeys(um, up, Set.of("soft", "hard"));
                Long soft = longValue(um.get("soft"), up + ".soft");
                Long hard = longValue(um.get("hard"), up + ".hard");
                if (soft == null || hard == null) {
                    throw error(um, up, "needs both soft and hard");
                }
                out.put(k, new Ulimit(soft, hard));
            } else {
                long single = longValue(v, up);
                out.put(k, new Ulimit(single, single));
            }
        });
        return out;
    }

    private static Logging logging(YNode n, String p) {
        if (n == null) {
            return null;
        }
        YMap m = map(n, p);
        checkKeys(m, p, Set.of("driver", "options"));
        return new Logging(str(m.get("driver"), p + ".driver"), nonNull(stringMap(m.get("options"), p + ".options")));
    }

    private static List<FileMount> fileMounts(YNode n, String p, Set<String> declared, String base) {
        List<FileMount> out = new ArrayList<>();
        for (Fields.Item it : items(n, p)) {
            YNode item = it.node();
            String ip = it.path();
            String source;
            String target = null;
            String uid = null;
            String gid = null;
            Integer mode = null;
            if (item instanceof YMap fm) {
                checkKeys(fm, ip, Set.of("source", "target", "uid", "gid", "mode"));
                source = str(fm.get("source"), ip + ".source");
                target = str(fm.get("target"), ip + ".target");
                uid = str(fm.get("uid"), ip + ".uid");
                gid = str(fm.get("gid"), ip + ".gid");
                String ms = str(fm.get("mode"), ip + ".mode");
                mode = ms == null ? null : Integer.parseInt(ms, ms.startsWith("0") ? 8 : 10);
            } else {
                source = str(item, ip);
            }
            if (source == null || !declared.contains(source)) {
                throw error(item, ip, "refers to undefined " + (base.equals("/") ? "config " : "secret ") + source);
            }
            String t = target == null ? base + source : target.startsWith("/") ? target : base + target;
            out.add(new FileMount(source, t, uid, gid, mode));
        }
        return out;
    }
}
