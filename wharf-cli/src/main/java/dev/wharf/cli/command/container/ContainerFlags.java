package dev.wharf.cli.command.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.wharf.base.text.IpText;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.HostConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags {@code run} and {@code create} share, and the create request they make. */
public final class ContainerFlags {

    @Mixin
    ResourceFlags resources = new ResourceFlags();

    @Option(names = {"-a", "--attach"}, paramLabel = "list", description = "Attach to STDIN, STDOUT or STDERR")
    List<String> attach;

    @Option(names = {"-e", "--env"}, paramLabel = "list", description = "Set environment variables")
    List<String> env;

    @Option(names = "--entrypoint", paramLabel = "string", description = "Overwrite the default ENTRYPOINT of the image")
    String entrypoint;

    @Option(names = {"-h", "--hostname"}, paramLabel = "string", description = "Container host name")
    String hostname;

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    boolean interactive;

    @Option(names = {"-l", "--label"}, paramLabel = "list", description = "Set meta data on a container")
    List<String> labels;

    @Option(names = "--name", paramLabel = "string", description = "Assign a name to the container")
    String name;

    @Option(names = {"--network", "--net"}, paramLabel = "network", description = "Connect a container to a network")
    String network;

    @Option(names = {"-p", "--publish"}, paramLabel = "list", description = "Publish a container's port(s) to the host")
    List<String> publish;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Option(names = "--privileged", description = "Give extended privileges to this container")
    boolean privileged;

    @Option(names = "--pull", paramLabel = "string", defaultValue = "missing",
            description = "Pull image before running (\"always\", \"missing\", \"never\") (default \"missing\")")
    String pull;

    @Option(names = "--read-only", description = "Mount the container's root filesystem as read only")
    boolean readOnly;

    @Option(names = "--restart", paramLabel = "string", defaultValue = "no",
            description = "Restart policy to apply when a container exits (default \"no\")")
    String restart;

    @Option(names = "--rm", description = "Automatically remove the container and its associated anonymous volumes when it exits")
    boolean rm;

    @Option(names = "--stop-signal", paramLabel = "string", description = "Signal to stop the container")
    String stopSignal;

    @Option(names = "--stop-timeout", paramLabel = "int", description = "Timeout (in seconds) to stop a container")
    Integer stopTimeout;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;

    @Option(names = {"-u", "--user"}, paramLabel = "string", description = "Username or UID (format: <name|uid>[:<group|gid>])")
    String user;

    @Option(names = {"-v", "--volume"}, paramLabel = "list", description = "Bind mount a volume")
    List<String> volumes;

    @Option(names = "--mount", paramLabel = "mount", description = "Attach a filesystem mount to the container")
    List<String> mounts;

    @Option(names = "--volumes-from", paramLabel = "list", description = "Mount volumes from the specified container(s)")
    List<String> volumesFrom;

    @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Working directory inside the container")
    String workdir;

    @Option(names = "--add-host", paramLabel = "list", description = "Add a custom host-to-IP mapping (host:ip)")
    List<String> addHost;

    @Option(names = "--cap-add", paramLabel = "list", description = "Add Linux capabilities")
    List<String> capAdd;

    @Option(names = "--cap-drop", paramLabel = "list", description = "Drop Linux capabilities")
    List<String> capDrop;

    @Option(names = "--cgroupns", paramLabel = "string", description = "Cgroup namespace to use (host|private)")
    String cgroupns;

    @Option(names = "--device", paramLabel = "list", description = "Add a host device to the container")
    List<String> devices;

    @Option(names = "--dns", paramLabel = "list", description = "Set custom DNS servers")
    List<String> dns;

    @Option(names = "--dns-option", paramLabel = "list", description = "Set DNS options")
    List<String> dnsOptions;

    @Option(names = "--dns-search", paramLabel = "list", description = "Set custom DNS search domains")
    List<String> dnsSearch;

    @Option(names = "--domainname", paramLabel = "string", description = "Container NIS domain name")
    String domainname;

    @Option(names = "--env-file", paramLabel = "list", description = "Read in a file of environment variables")
    List<String> envFiles;

    @Option(names = "--expose", paramLabel = "list", description = "Expose a port or a range of ports")
    List<String> expose;

    @Option(names = "--group-add", paramLabel = "list", description = "Add additional groups to join")
    List<String> groupAdd;

    @Option(names = "--health-cmd", paramLabel = "string", description = "Command to run to check health")
    String healthCmd;

    @Option(names = "--health-interval", paramLabel = "duration",
            description = "Time between running the check (ms|s|m|h) (default 0s)")
    String healthInterval;

    @Option(names = "--health-retries", paramLabel = "int", description = "Consecutive failures needed to report unhealthy")
    Integer healthRetries;

    @Option(names = "--health-start-interval", paramLabel = "duration",
            description = "Time between running the check during the start period (ms|s|m|h) (default 0s)")
    String healthStartInterval;

    @Option(names = "--health-start-period", paramLabel = "duration",
            description = "Start period for the container to initialize before starting health-retries countdown"
                    + " (ms|s|m|h) (default 0s)")
    String healthStartPeriod;

    @Option(names = "--health-timeout", paramLabel = "duration",
            description = "Maximum time to allow one check to run (ms|s|m|h) (default 0s)")
    String healthTimeout;

    @Option(names = "--init",
            description = "Run an init inside the container that forwards signals and reaps processes")
    Boolean init;

    @Option(names = "--ip", paramLabel = "string", description = "IPv4 address (e.g., 172.30.100.104)")
    String ip;

    @Option(names = "--ip6", paramLabel = "string", description = "IPv6 address (e.g., 2001:db8::33)")
    String ip6;

    @Option(names = "--ipc", paramLabel = "string", description = "IPC mode to use")
    String ipc;

    @Option(names = "--label-file", paramLabel = "list", description = "Read in a line delimited file of labels")
    List<String> labelFiles;

    @Option(names = "--log-driver", paramLabel = "string", description = "Logging driver for the container")
    String logDriver;

    @Option(names = "--log-opt", paramLabel = "list", description = "Log driver options")
    List<String> logOpts;

    @Option(names = "--mac-address", paramLabel = "string", description = "Container MAC address (e.g., 92:d0:c6:0a:29:33)")
    String macAddress;

    @Option(names = "--network-alias", paramLabel = "list", description = "Add network-scoped alias for the container")
    List<String> networkAliases;

    @Option(names = "--no-healthcheck", description = "Disable any container-specified HEALTHCHECK")
    boolean noHealthcheck;

    @Option(names = "--oom-kill-disable", description = "Disable OOM Killer")
    boolean oomKillDisable;

    @Option(names = "--oom-score-adj", paramLabel = "int", description = "Tune host's OOM preferences (-1000 to 1000)")
    Integer oomScoreAdj;

    @Option(names = "--pid", paramLabel = "string", description = "PID namespace to use")
    String pid;

    @Option(names = {"-P", "--publish-all"}, description = "Publish all exposed ports to random ports")
    boolean publishAll;

    @Option(names = "--security-opt", paramLabel = "list", description = "Security Options")
    List<String> securityOpts;

    @Option(names = "--shm-size", paramLabel = "bytes", description = "Size of /dev/shm")
    String shmSize;

    @Option(names = "--sysctl", paramLabel = "map", description = "Sysctl options (default map[])")
    List<String> sysctls;

    @Option(names = "--tmpfs", paramLabel = "list", description = "Mount a tmpfs directory")
    List<String> tmpfs;

    @Option(names = "--ulimit", paramLabel = "ulimit", description = "Ulimit options (default [])")
    List<String> ulimits;

    @Option(names = "--uts", paramLabel = "string", description = "UTS namespace to use")
    String uts;

    boolean attachStdin(boolean detach) {
        if (detach) {
            return false;
        }
        return attach == null || attach.isEmpty() ? interactive : has("stdin");
    }

    boolean attachStdout(boolean detach) {
        return !detach && (attach == null || attach.isEmpty() || has("stdout"));
    }

    boolean attachStderr(boolean detach) {
        return !detach && (attach == null || attach.isEmpty() || has("stderr"));
    }

    private boolean has(String stream) {
        return attach.stream().anyMatch(a -> a.equalsIgnoreCase(stream));
    }

    /**
     * The create request, as docker builds it. consoleSize is {rows, cols} or null.
     *
     * @throws IllegalArgumentException for a malformed flag value
     */
    ContainerCreateRequest toRequest(String image, List<String> command, boolean detach, int[] consoleSize,
            Map<String, String> localEnv) {
        if (attach != null) {
            for (String a : attach) {
                if (!a.equalsIgnoreCase("stdin") && !a.equalsIgnoreCase("stdout") && !a.equalsIgnoreCase("stderr")) {
                    throw new IllegalArgumentException("invalid argument \"" + a
                            + "\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR");
                }
            }
            if (detach && !attach.isEmpty()) {
                throw new IllegalArgumentException("conflicting options: cannot specify both --attach and --detach");
            }
        }
        boolean stdin = attachStdin(detach);
        Map<String, Object> exposed = null;
        Map<String, Object> bindings = null;
        if (publish != null && !publish.isEmpty()) {
            exposed = new LinkedHashMap<>();
            bindings = new LinkedHashMap<>();
            for (String p : publish) {
                PortSpec ps = PortSpec.parse(p);
                exposed.put(ps.key(), Map.of());
                @SuppressWarnings("unchecked")
                List<Object> l = (List<Object>) bindings.computeIfAbsent(ps.key(), k -> new ArrayList<>());
                l.add(Map.of("HostIp", ps.hostIp(), "HostPort", ps.hostPort()));
            }
        }
        if (expose != null && !expose.isEmpty()) {
            if (exposed == null) {
                exposed = new LinkedHashMap<>();
            }
            for (String e : expose) {
                for (String key : FlagValues.expose(e)) {
                    exposed.putIfAbsent(key, Map.of());
                }
            }
        }
        List<String> ep = null;
        if (entrypoint != null) {
            ep = List.of(entrypoint);
        }
        Map<String, Object> cfgOther = new LinkedHashMap<>();
        Map<String, Object> health = healthcheck();
        if (health != null) {
            cfgOther.put("Healthcheck", health);
        }
        ContainerConfig cfg = new ContainerConfig(hostname == null ? "" : hostname,
                domainname == null ? "" : domainname, user == null ? "" : user,
                stdin, attachStdout(detach), attachStderr(detach), exposed, tty, interactive, stdin,
                env(localEnv), command == null || command.isEmpty() ? null : List.copyOf(command), image,
                MountFlags.anonymousVolumes(volumes),
                workdir == null ? "" : workdir, ep, labels(), stopSignal, stopTimeout, cfgOther);
        String mode = network == null || network.isEmpty() ? "default" : network;
        Map<String, Object> other = new LinkedHashMap<>();
        if (bindings != null) {
            other.put("PortBindings", bindings);
        }
        if (mounts != null && !mounts.isEmpty()) {
            other.put("Mounts", mounts.stream().map(MountFlags::parseMount).toList());
        }
        if (volumesFrom != null && !volumesFrom.isEmpty()) {
            other.put("VolumesFrom", List.copyOf(volumesFrom));
        }
        hostOptions(other);
        Long shm = shmSize == null ? null : FlagValues.ramInBytes("--shm-size", shmSize);
        HostConfig hc = new HostConfig(mode, rm, logConfig(), restartPolicy(), MountFlags.binds(volumes),
                privileged, readOnly, consoleSize == null ? List.of(0, 0) : List.of(consoleSize[0], consoleSize[1]),
                shm, null, other);
        Map<String, Object> endpoints = new LinkedHashMap<>();
        endpoints.put(mode, endpoint(mode));
        return new ContainerCreateRequest(cfg, hc, Map.of("EndpointsConfig", endpoints));
    }

    /** Resources, confinement, namespaces, DNS and the rest of HostConfig, as docker's parse() sets them. */
    private void hostOptions(Map<String, Object> hc) {
        resources.putInto(hc);
        if (ulimits != null && !ulimits.isEmpty()) {
            Map<String, Object> byName = new LinkedHashMap<>();
            for (String u : ulimits) {
                Map<String, Object> m = FlagValues.ulimit("--ulimit", u);
                byName.put((String) m.get("Name"), m);
            }
            hc.put("Ulimits", List.copyOf(byName.values()));
        }
        if (oomKillDisable) {
            hc.put("OomKillDisable", true);
        }
        put(hc, "OomScoreAdj", oomScoreAdj);
        if (capAdd != null || capDrop != null) {
            List<List<String>> caps = FlagValues.capabilities(capAdd, capDrop);
            putList(hc, "CapAdd", caps.get(0));
            putList(hc, "CapDrop", caps.get(1));
        }
        if (devices != null && !devices.isEmpty()) {
            hc.put("Devices", devices.stream().map(d -> FlagValues.device("--device", d)).toList());
        }
        if (securityOpts != null && !securityOpts.isEmpty()) {
            List<String> opts = new ArrayList<>();
            boolean unconfinedPaths = false;
            for (String o : securityOpts) {
                if (o.equals("systempaths=unconfined")) {
                    unconfinedPaths = true;
                } else {
                    opts.add(FlagValues.securityOpt(o, ContainerFlags::compactJson));
                }
            }
            putList(hc, "SecurityOpt", opts);
            if (unconfinedPaths) {
                hc.put("MaskedPaths", List.of());
                hc.put("ReadonlyPaths", List.of());
            }
        }
        if (tmpfs != null && !tmpfs.isEmpty()) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String t : tmpfs) {
                int c = t.indexOf(':');
                m.put(c < 0 ? t : t.substring(0, c), c < 0 ? "" : t.substring(c + 1));
            }
            hc.put("Tmpfs", m);
        }
        if (sysctls != null && !sysctls.isEmpty()) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String sc : sysctls) {
                String[] kv = FlagValues.sysctl("--sysctl", sc);
                m.put(kv[0], kv[1]);
            }
            hc.put("Sysctls", m);
        }
        putList(hc, "GroupAdd", groupAdd);
        if (cgroupns != null && !List.of("", "host", "private").contains(cgroupns)) {
            throw new IllegalArgumentException("--cgroupns: invalid CGROUP mode");
        }
        if (ipc != null && !(List.of("", "none", "private", "shareable", "host").contains(ipc) || container(ipc))) {
            throw new IllegalArgumentException("--ipc: invalid IPC mode");
        }
        if (pid != null && !(pid.isEmpty() || pid.equals("host") || container(pid))) {
            throw new IllegalArgumentException("--pid: invalid PID mode");
        }
        if (uts != null && !(uts.isEmpty() || uts.equals("host"))) {
            throw new IllegalArgumentException("--uts: invalid UTS mode");
        }
        putString(hc, "CgroupnsMode", cgroupns);
        putString(hc, "IpcMode", ipc);
        putString(hc, "PidMode", pid);
        putString(hc, "UTSMode", uts);
        put(hc, "Init", init);
        if (publishAll) {
            hc.put("PublishAllPorts", true);
        }
        if (dns != null && !dns.isEmpty()) {
            hc.put("Dns", dns.stream().map(d -> FlagValues.ipAddress("--dns", d)).toList());
        }
        if (dnsOptions != null && !dnsOptions.isEmpty()) {
            hc.put("DnsOptions", List.copyOf(dnsOptions));
        }
        if (dnsSearch != null && !dnsSearch.isEmpty()) {
            hc.put("DnsSearch", dnsSearch.stream().map(d -> FlagValues.dnsSearch("--dns-search", d)).toList());
        }
        if (addHost != null && !addHost.isEmpty()) {
            hc.put("ExtraHosts", addHost.stream().map(h -> FlagValues.extraHost("--add-host", h)).toList());
        }
    }

    private static boolean container(String mode) {
        return mode.startsWith("container:") && mode.length() > "container:".length();
    }

    private static String compactJson(String json) {
        try {
            return Json.mapper().writeValueAsString(Json.mapper().readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("compacting json for seccomp profile failed: " + e.getOriginalMessage());
        }
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static void putString(Map<String, Object> m, String k, String v) {
        if (v != null && !v.isEmpty()) {
            m.put(k, v);
        }
    }

    private static void putList(Map<String, Object> m, String k, List<String> v) {
        if (v != null && !v.isEmpty()) {
            m.put(k, List.copyOf(v));
        }
    }

    /** --log-driver and --log-opt; none given leaves the daemon's default. */
    private HostConfig.LogConfig logConfig() {
        if ((logDriver == null || logDriver.isEmpty()) && (logOpts == null || logOpts.isEmpty())) {
            return null;
        }
        String type = logDriver == null ? "" : logDriver;
        if (type.equals("none") && logOpts != null && !logOpts.isEmpty()) {
            throw new IllegalArgumentException("invalid logging opts for driver none");
        }
        return new HostConfig.LogConfig(type, FlagValues.kvMap(logOpts));
    }

    /** Config.Healthcheck: NONE for --no-healthcheck, else the --health-* settings (zero values left out). */
    private Map<String, Object> healthcheck() {
        long interval = healthInterval == null ? 0 : FlagValues.duration("--health-interval", healthInterval);
        long timeout = healthTimeout == null ? 0 : FlagValues.duration("--health-timeout", healthTimeout);
        long startPeriod = healthStartPeriod == null ? 0
                : FlagValues.duration("--health-start-period", healthStartPeriod);
        long startInterval = healthStartInterval == null ? 0
                : FlagValues.duration("--health-start-interval", healthStartInterval);
        int retries = healthRetries == null ? 0 : healthRetries;
        boolean have = (healthCmd != null && !healthCmd.isEmpty()) || interval != 0 || timeout != 0
                || startPeriod != 0 || retries != 0 || startInterval != 0;
        Map<String, Object> h = new LinkedHashMap<>();
        if (noHealthcheck) {
            if (have) {
                throw new IllegalArgumentException("--no-healthcheck conflicts with --health-* options");
            }
            h.put("Test", List.of("NONE"));
            return h;
        }
        if (!have) {
            return null;
        }
        if (interval < 0) {
            throw new IllegalArgumentException("--health-interval cannot be negative");
        }
        if (timeout < 0) {
            throw new IllegalArgumentException("--health-timeout cannot be negative");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("--health-retries cannot be negative");
        }
        if (startPeriod < 0) {
            throw new IllegalArgumentException("--health-start-period cannot be negative");
        }
        if (startInterval < 0) {
            throw new IllegalArgumentException("--health-start-interval cannot be negative");
        }
        if (healthCmd != null && !healthCmd.isEmpty()) {
            h.put("Test", List.of("CMD-SHELL", healthCmd));
        }
        if (interval != 0) {
            h.put("Interval", interval);
        }
        if (timeout != 0) {
            h.put("Timeout", timeout);
        }
        if (startPeriod != 0) {
            h.put("StartPeriod", startPeriod);
        }
        if (startInterval != 0) {
            h.put("StartInterval", startInterval);
        }
        if (retries != 0) {
            h.put("Retries", retries);
        }
        return h;
    }

    /** The EndpointSettings for the container's network: --network-alias, --ip, --ip6, --mac-address. */
    private Map<String, Object> endpoint(String mode) {
        boolean userDefined = !List.of("default", "bridge", "host", "none").contains(mode)
                && !mode.startsWith("container:");
        Map<String, Object> e = new LinkedHashMap<>();
        if (networkAliases != null && !networkAliases.isEmpty()) {
            if (!userDefined) {
                throw new IllegalArgumentException("network-scoped aliases are only supported for user-defined"
                        + " networks");
            }
            e.put("Aliases", List.copyOf(networkAliases));
        }
        Map<String, Object> ipam = new LinkedHashMap<>();
        if (ip != null && !ip.isEmpty()) {
            var a = FlagValues.ipLiteral(ip.trim());
            if (a == null) {
                throw FlagValues.invalid("--ip", ip, "failed to parse IP: \"" + ip + "\"");
            }
            if (!(a instanceof java.net.Inet4Address)) {
                throw new IllegalArgumentException("invalid IPv4 address: " + ip);
            }
            ipam.put("IPv4Address", IpText.of(a));
        }
        if (ip6 != null && !ip6.isEmpty()) {
            var a = FlagValues.ipLiteral(ip6.trim());
            if (a == null) {
                throw FlagValues.invalid("--ip6", ip6, "failed to parse IP: \"" + ip6 + "\"");
            }
            if (!(a instanceof java.net.Inet6Address)) {
                throw new IllegalArgumentException("invalid IPv6 address: " + ip6);
            }
            ipam.put("IPv6Address", IpText.of(a));
        }
        if (!ipam.isEmpty()) {
            e.put("IPAMConfig", ipam);
        }
        if (macAddress != null && !macAddress.isEmpty()) {
            if (!FlagValues.validMac(macAddress.trim())) {
                throw new IllegalArgumentException(macAddress + " is not a valid mac address");
            }
            e.put("MacAddress", macAddress);
        }
        return e;
    }

    /**
     * Whether these flags need the user's own process: standard input or a terminal, or a local file
     * read (--env-file, --label-file, a seccomp profile).
     */
    boolean needLocalProcess() {
        boolean seccompFile = securityOpts != null && securityOpts.stream().anyMatch(FlagValues::namesSeccompFile);
        return interactive || tty || attach != null && has("stdin") || envFiles != null && !envFiles.isEmpty()
                || labelFiles != null && !labelFiles.isEmpty() || seccompFile;
    }

    private List<String> env(Map<String, String> localEnv) {
        if (env == null && envFiles == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (envFiles != null) {
            for (String f : envFiles) {
                out.addAll(FlagValues.readKvFile(f, localEnv::get));
            }
        }
        if (env != null) {
            for (String e : env) {
                if (e.isEmpty() || e.startsWith("=")) {
                    throw new IllegalArgumentException("invalid environment variable: " + e);
                }
                if (e.contains("=")) {
                    out.add(e);
                } else if (localEnv.containsKey(e)) {
                    out.add(e + "=" + localEnv.get(e));
                }
            }
        }
        return out;
    }

    private Map<String, String> labels() {
        if (labels == null && labelFiles == null) {
            return null;
        }
        List<String> all = new ArrayList<>();
        if (labelFiles != null) {
            for (String f : labelFiles) {
                all.addAll(FlagValues.readKvFile(f, null));
            }
        }
        if (labels != null) {
            all.addAll(labels);
        }
        return FlagValues.kvMap(all);
    }

    private HostConfig.RestartPolicy restartPolicy() {
        String r = restart == null || restart.isEmpty() ? "no" : restart;
        int colon = r.indexOf(':');
        String n = colon < 0 ? r : r.substring(0, colon);
        if (!List.of("no", "always", "unless-stopped", "on-failure").contains(n)) {
            throw new IllegalArgumentException("invalid restart policy: unknown policy '" + n
                    + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
        int max = 0;
        if (colon >= 0) {
            if (!n.equals("on-failure")) {
                throw new IllegalArgumentException("invalid restart policy: maximum retry count can only be used with"
                        + " 'on-failure'");
            }
            try {
                max = Integer.parseInt(r.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid restart policy format: maximum retry count must be an integer");
            }
        }
        if (rm && !n.equals("no")) {
            throw new IllegalArgumentException("conflicting options: cannot specify both --restart and --rm");
        }
        return new HostConfig.RestartPolicy(n, max);
    }

    /** One {@code -p [ip:][hostPort:]containerPort[/proto]}. */
    record PortSpec(String key, String hostIp, String hostPort) {
        static PortSpec parse(String s) {
            String proto = "tcp";
            int slash = s.lastIndexOf('/');
            if (slash >= 0) {
                proto = s.substring(slash + 1);
                s = s.substring(0, slash);
            }
            String ip = "";
            String host = "";
            String container;
            int last = s.lastIndexOf(':');
            if (last < 0) {
                container = s;
            } else {
                container = s.substring(last + 1);
                String rest = s.substring(0, last);
                int c2 = rest.lastIndexOf(':');
                if (c2 < 0) {
                    host = rest;
                } else {
                    host = rest.substring(c2 + 1);
                    ip = rest.substring(0, c2);
                    if (ip.startsWith("[") && ip.endsWith("]")) {
                        ip = ip.substring(1, ip.length() - 1);
                    }
                }
            }
            if (!container.matches("\\d+(-\\d+)?") || !(host.isEmpty() || host.matches("\\d+(-\\d+)?"))
                    || !List.of("tcp", "udp", "sctp").contains(proto)) {
                throw new IllegalArgumentException("invalid argument \"" + s + "\" for \"-p, --publish\" flag");
            }
            return new PortSpec(container + "/" + proto, ip, host);
        }
    }
}
