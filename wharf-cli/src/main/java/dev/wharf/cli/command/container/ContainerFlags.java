package dev.wharf.cli.command.container;

import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.HostConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The flags {@code run} and {@code create} share, and the create request they make. */
public final class ContainerFlags {

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
        List<String> ep = null;
        if (entrypoint != null) {
            ep = List.of(entrypoint);
        }
        ContainerConfig cfg = new ContainerConfig(hostname == null ? "" : hostname, "", user == null ? "" : user,
                stdin, attachStdout(detach), attachStderr(detach), exposed, tty, interactive, stdin,
                env(localEnv), command == null || command.isEmpty() ? null : List.copyOf(command), image,
                MountFlags.anonymousVolumes(volumes),
                workdir == null ? "" : workdir, ep, labels(), stopSignal, stopTimeout, null);
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
        HostConfig hc = new HostConfig(mode, rm, null, restartPolicy(), MountFlags.binds(volumes),
                privileged, readOnly, consoleSize == null ? List.of(0, 0) : List.of(consoleSize[0], consoleSize[1]),
                null, null, other);
        Map<String, Object> endpoints = new LinkedHashMap<>();
        endpoints.put(mode, Map.of());
        return new ContainerCreateRequest(cfg, hc, Map.of("EndpointsConfig", endpoints));
    }

    private List<String> env(Map<String, String> localEnv) {
        if (env == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
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
        return out;
    }

    private Map<String, String> labels() {
        if (labels == null) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            m.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        return m;
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
