package dev.wharf.engine.container;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.WharfException;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.base.id.ContainerId;
import dev.wharf.engine.image.ImageService;
import dev.wharf.engine.network.NetworkService;
import dev.wharf.engine.volume.VolumeService;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.oci.runtime.Process;
import dev.wharf.oci.runtime.Spec;
import dev.wharf.runtime.Launch;
import dev.wharf.runtime.ContainerRuntime;
import dev.wharf.runtime.RuntimeStartException;
import dev.wharf.runtime.cgroup.Cgroups;
import dev.wharf.engine.spec.BindFile;
import dev.wharf.engine.spec.NetworkNamespace;
import dev.wharf.runtime.spec.ResolvedUser;
import dev.wharf.engine.spec.SpecGenerator;
import dev.wharf.engine.spec.SpecInput;
import dev.wharf.runtime.spec.UserResolver;
import dev.wharf.runtime.sys.Mounter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Takes a created container to running: mounts its root file system, writes its hosts files and
 * OCI bundle, and has conmon and runc create and start it. Also undoes all that after an exit.
 */
final class ContainerStarter {

    private static final boolean CGROUP_V2 = Cgroups.isV2();

    private final ContainerRuntime runtime;
    private final ContainerImages images;
    private final Mounter mounter;
    private final ContainerPaths paths;
    private final NetworkService networks;
    private final VolumeService volumes;
    private final Function<String, Container> containers;

    record Started(int pid, int conmonPid) {
    }

    /** A start that failed, with the exit code Docker reports for it (127, 126 or 128). */
    static final class StartFailure extends RuntimeException {
        private final int exitCode;
        private final boolean userError;

        private final WharfException apiError;

        StartFailure(String message, int exitCode, boolean userError, Throwable cause) {
            super(message, cause);
            this.exitCode = exitCode;
            this.userError = userError;
            this.apiError = null;
        }

        /** A refusal found before anything was made, answered with its own status (404, 409). */
        StartFailure(WharfException refusal) {
            super(refusal.getMessage(), refusal);
            this.exitCode = 128;
            this.userError = true;
            this.apiError = refusal;
        }

        int exitCode() {
            return exitCode;
        }

        WharfException toApiError() {
            if (apiError != null) {
                return apiError;
            }
            return userError ? new InvalidArgumentException(getMessage()) : new InternalException(getMessage());
        }
    }

    ContainerStarter(ContainerRuntime runtime, ContainerImages images, Mounter mounter, ContainerPaths paths,
            VolumeService volumes, NetworkService networks, Function<String, Container> containers) {
        this.containers = containers;
        this.volumes = volumes;
        this.networks = networks;
        this.runtime = runtime;
        this.images = images;
        this.mounter = mounter;
        this.paths = paths;
    }

    /**
     * Caller holds the container's lock. On failure, everything made here is undone, and clients
     * attached before the start are let go (their streams end) rather than left waiting.
     */
    Started start(Container c, List<AttachSession> attachers) {
        try {
            return startOrFail(c, attachers);
        } catch (StartFailure f) {
            for (AttachSession a : attachers) {
                a.cancel(); // no effect on a session already connected
            }
            throw f;
        }
    }

    private Started startOrFail(Container c, List<AttachSession> attachers) {
        ContainerId id = c.id;
        ContainerConfig cfg = c.cfg.config();
        Path rootfs = paths.rootfs(id);
        Joined joined;
        Map<String, String> sharedNs;
        Links.Applied linked;
        try { // before the main try: nothing to undo yet
            joined = joined(c);
            sharedNs = sharedNamespaces(c);
            String mode = c.cfg.hostConfig().networkMode();
            boolean bridge = mode == null || mode.isEmpty() || mode.equals("default") || mode.equals("bridge");
            String net = bridge ? NetworkService.BRIDGE : mode;
            linked = Links.apply(c, containers, child -> networks.addressOn(net, child.id), bridge);
        } catch (WharfException e) {
            throw new StartFailure(e);
        }
        NetworkSetup netSetup = null;
        boolean networkPending = false;
        try {
            mounter.unmount(rootfs);
            Files.createDirectories(rootfs);
            Files.deleteIfExists(paths.exitFile(id));
            netSetup = NetworkSetup.begin(networks, id, networkRequest(c)); // overlaps the mount and bundle
            ImageService.Resolved img = images.resolve(c.cfg.imageId());
            mounter.overlay(images.lowerDirs(img.chainIds()), paths.upper(id), paths.work(id), rootfs);
            ResolvedUser user = UserResolver.resolve(rootfs, cfg.user());
            String cwd = cfg.workingDir() == null || cfg.workingDir().isEmpty() ? "/" : cfg.workingDir();
            makeWorkdir(rootfs, cwd, user);
            NetworkService.Namespace ns = netSetup.namespace();
            networkPending = ns != null && netSetup.mayOverlapCreate(c.host());
            NetworkService.Sandbox sandbox = networkPending ? null : netSetup.join();
            List<BindFile> binds = new ArrayList<>(joined != null ? joined.files()
                    : writeHostFiles(c, ns, sandbox, linked.hostsLines()));
            binds.addAll(mounts(c, rootfs));
            String mode = c.cfg.hostConfig().networkMode();
            NetworkNamespace net = joined != null ? new NetworkNamespace.Path(joined.netns())
                    : ns != null ? new NetworkNamespace.Path(ns.netns().toString())
                    : "host".equals(mode) ? new NetworkNamespace.Host() : new NetworkNamespace.New();
            List<String> argv = new ArrayList<>();
            argv.add(c.cfg.path());
            argv.addAll(c.cfg.args());
            List<String> env = withLinkEnv(linked.env(), cfg.env());
            SpecInput in = new SpecInput(rootfs, c.cfg.hostConfig().readonlyRootfs(), argv, env, cwd, user.uid(),
                    user.gid(), user.additionalGids(), cfg.tty(), joined != null ? joined.hostname() : cfg.hostname(), net, binds,
                    HostConfinement.cgroupsPath(c.host(), id),
                    HostConfinement.privateCgroupns(c.host(), CGROUP_V2), null);
            Files.write(paths.bundle(id).resolve("config.json"),
                    Json.mapper().writeValueAsBytes(withConsoleSize(HostConfinement.withDomainname(
                            HostConfinement.joinNamespaces(HostConfinement.apply(SpecGenerator.generate(in),
                                    c.cfg.hostConfig(), c.host()), sharedNs), cfg.domainname()),
                            cfg.tty() ? c.cfg.hostConfig().consoleSize() : null)));
        } catch (IOException | RuntimeException e) {
            if (netSetup != null) {
                netSetup.settle();
            }
            cleanup(id);
            if (e instanceof WharfException w && !(e instanceof InternalException)) {
                throw new StartFailure(w.getMessage(), 128, true, e);
            }
            throw new StartFailure("cannot prepare container: " + e.getMessage(), 128, false, e);
        }
        LogConfigCheck logCfg = LogConfigCheck.of(c.cfg.hostConfig().logConfig());
        if (logCfg.rotates()) {
            try {
                LogRotation.beforeStart(paths.log(id), logCfg.maxFile());
            } catch (IOException e) {
                netSetup.settle();
                cleanup(id);
                throw new StartFailure("cannot rotate the container log: " + e.getMessage(), 128, false, e);
            }
        }
        Launch launch = new Launch(id, c.name(), paths.bundle(id), paths.exitDir(), paths.socketDir(),
                paths.log(id), paths.conmonPid(id), cfg.tty(), cfg.openStdin(), AttachHub.leavesStdinOpen(cfg),
                !logCfg.readable(), logCfg.rotates() ? logCfg.maxSize() : -1);
        int pid;
        try {
            pid = runtime.create(launch);
        } catch (RuntimeStartException e) {
            netSetup.settle();
            cleanup(id);
            throw startError(e.runtimeMessage(), e);
        } catch (RuntimeException e) {
            netSetup.settle();
            cleanup(id);
            throw new StartFailure(e.getMessage(), 128, false, e);
        }
        if (networkPending) {
            finishNetwork(id, netSetup);
        }
        AttachHub hub = AttachHub.forRun(c, runtime, paths.bundle(id));
        c.replaceAttachHub(hub);
        for (AttachSession a : attachers) {
            try {
                a.connect(hub.subscribe(), runtime.conmonPid(paths.conmonPid(id)).orElse(0));
            } catch (IOException e) {
                a.cancel();
            }
        }
        try {
            runtime.start(id);
        } catch (RuntimeException e) {
            runtime.kill(id, 9, true);
            cleanup(id);
            throw startError(e.getMessage(), e);
        }
        if (logCfg.rotates()) {
            try {
                LogRotation.check(paths.log(id), logCfg.maxFile());
            } catch (IOException e) {
                // the rotation poller tries again
            }
        }
        int conmonPid = runtime.conmonPid(paths.conmonPid(id)).orElse(0);
        return new Started(pid, conmonPid);
    }

    /**
     * A TTY's first size ({@code HostConfig.ConsoleSize}, which the docker CLI sends at create):
     * runc sizes the terminal before the process runs, so a program that reads its size at
     * start sees the client's, not 0x0 until the first resize.
     */
    private static Spec withConsoleSize(Spec spec, List<Integer> size) {
        if (size == null || size.size() != 2 || size.get(0) == null || size.get(1) == null || size.get(0) <= 0
                || size.get(1) <= 0) {
            return spec;
        }
        return spec.withProcess(spec.process().withConsoleSize(new Process.ConsoleSize(size.get(0), size.get(1))));
    }

    /** The namespace, hostname and host files of the container whose network this one joins. */
    record Joined(String netns, String hostname, List<BindFile> files) {
    }

    /**
     * For {@code --ipc container:<ref>} and {@code --pid container:<ref>}: the namespace files of the
     * referenced container, which must be running (409 otherwise, 404 when it does not exist); an
     * IPC donor must have been made {@code --ipc shareable}, as Docker requires.
     */
    private Map<String, String> sharedNamespaces(Container c) {
        Map<String, String> out = new LinkedHashMap<>();
        HostOptions h = c.host();
        for (String[] kind : new String[][] {{"ipc", h.ipcMode(), "IPC"}, {"pid", h.pidMode(), "PID"}}) {
            String ref = SharedNetns.ref(kind[1]);
            if (ref == null) {
                continue;
            }
            Container donor = containers.apply(ref);
            if (donor.id.equals(c.id)) {
                throw new InvalidArgumentException("cannot join own " + kind[2] + " namespace");
            }
            if (!donor.state.running() || donor.state.pid() <= 0) {
                throw new ConflictException("cannot join " + kind[2] + " of a non running container: " + ref);
            }
            if (kind[0].equals("ipc") && !"shareable".equals(donor.host().ipcMode())) {
                throw new ConflictException("non-shareable IPC (hint: use IpcMode:shareable for the donor container)");
            }
            out.put(kind[0], "/proc/" + donor.state.pid() + "/ns/" + kind[0]);
        }
        return out;
    }

    /**
     * For {@code --network container:<id>}: the referenced container, which must be running. 404 when
     * it is gone, 409 when it is not running, as Docker's {@code getNetworkedContainer}.
     */
    private Joined joined(Container c) {
        String ref = SharedNetns.ref(c.cfg.hostConfig().networkMode());
        if (ref == null) {
            return null;
        }
        Container o = containers.apply(ref);
        if (o.id.equals(c.id)) {
            throw new InvalidArgumentException("cannot join own network");
        }
        if (o.state.is(ContainerStatus.RESTARTING)) {
            throw new ConflictException("Container " + o.id + " is restarting, wait until the container is running");
        }
        if (!o.state.running() || o.state.pid() <= 0) {
            throw new ConflictException("cannot join network of a non running container: " + ref);
        }
        Path wharfNs = networks.netnsPath(o.id);
        String ns = Files.exists(wharfNs) ? wharfNs.toString() : "/proc/" + o.state.pid() + "/ns/net";
        // the host files belong to the first container of a chain of container: modes
        Container owner = o;
        for (int i = 0; i < 16; i++) {
            String next = SharedNetns.ref(owner.cfg.hostConfig().networkMode());
            if (next == null) {
                break;
            }
            try {
                owner = containers.apply(next);
            } catch (RuntimeException e) {
                break;
            }
        }
        Path dir = paths.dir(owner.id);
        String hostname = o.cfg.config().hostname();
        try {
            if (Files.exists(dir.resolve("hostname"))) {
                hostname = Files.readString(dir.resolve("hostname")).strip();
            }
        } catch (IOException ignored) {
            // the configured one
        }
        return new Joined(ns, hostname, List.of(new BindFile(dir.resolve("hosts"), "/etc/hosts", false),
                new BindFile(dir.resolve("hostname"), "/etc/hostname", false),
                new BindFile(dir.resolve("resolv.conf"), "/etc/resolv.conf", false)));
    }

    /** Docker's exit codes for a process that could not be started. */
    private static StartFailure startError(String msg, Throwable cause) {
        // the runtime gives runc's msg= already unquoted (Runc.message)
        String m = msg == null ? "unknown error" : msg.strip();
        String text = "failed to create task for container: failed to create shim task: OCI runtime create failed: "
                + m + ": unknown";
        if (m.contains("executable file not found") || m.contains("no such file or directory")) {
            return new StartFailure(text, 127, true, cause);
        }
        if (m.contains("permission denied") || m.contains("is a directory")) {
            return new StartFailure(text, 126, true, cause);
        }
        return new StartFailure(text, 128, false, cause);
    }

    /** Undoes a start: the runtime's container, the rootfs mount. Safe to call more than once. */
    void cleanup(ContainerId id) {
        releaseProcess(id);
        releaseNetwork(id);
    }

    /** The first half of {@link #cleanup}: the runtime's remains and the root file system's mount. */
    void releaseProcess(ContainerId id) {
        try {
            runtime.delete(id, true);
        } catch (RuntimeException ignored) {
            // already gone
        }
        try {
            mounter.unmount(paths.rootfs(id));
        } catch (IOException ignored) {
            // not mounted
        }
    }

    /**
     * The second half of {@link #cleanup}: the network's tear-down, then the bundle's files. The
     * conmon pid file goes last: while it is there, a daemon restarted after a crash undoes the rest.
     */
    void releaseNetwork(ContainerId id) {
        networks.tearDown(id, id.value());
        try {
            for (String f : List.of("config.json", "pidfile", "conmon.pid", "oom")) {
                Files.deleteIfExists(paths.bundle(id).resolve(f));
            }
        } catch (IOException ignored) {
            // rewritten at the next start
        }
    }

    /** The container's volumes, binds and tmpfs mounts; volumes are filled from the image first. */
    private List<BindFile> mounts(Container c, Path rootfs) throws IOException {
        List<BindFile> out = new ArrayList<>();
        for (ContainerMount m : c.cfg.mounts() == null ? List.<ContainerMount>of() : c.cfg.mounts()) {
            List<String> prop = m.propagation() == null || m.propagation().isEmpty() ? List.of()
                    : List.of(m.propagation());
            switch (m.type()) {
                case "volume" -> {
                    Path src = volumes.mountpoint(m.name());
                    if (!m.noCopy()) {
                        Path inImage = UserResolver.resolveInRoot(rootfs, m.destination());
                        if (inImage.startsWith(rootfs)) {
                            volumes.populate(m.name(), inImage);
                        }
                    }
                    if (m.subpath() != null && !m.subpath().isEmpty()) {
                        // Symlinks inside the volume resolve as if the volume were "/": never out of it.
                        src = UserResolver.resolveInRoot(src, m.subpath());
                        if (!Files.isDirectory(src)) {
                            throw new InvalidArgumentException("cannot access path " + src
                                    + ": subpath does not exist in the volume");
                        }
                    }
                    out.add(new BindFile(src, m.destination(), !m.rw(), false, prop));
                }
                case "bind" -> out.add(new BindFile(Path.of(m.source()), m.destination(), !m.rw(), false, prop));
                case "tmpfs" -> out.add(BindFile.tmpfs(m.destination(), m.tmpfsOptions()));
                default -> throw new InvalidArgumentException("unknown mount type " + m.type());
            }
        }
        return out;
    }

    /** Creates the working directory when the image lacks it, as Docker does; never through a symlink. */
    private static void makeWorkdir(Path rootfs, String cwd, ResolvedUser user) throws IOException {
        Path p = rootfs;
        for (Path part : Path.of(cwd).normalize()) {
            String s = part.toString();
            if (s.equals("..")) {
                return;
            }
            p = p.resolve(s);
            if (Files.isSymbolicLink(p)) {
                return; // let the runtime resolve it inside the container
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(p);
                Files.setAttribute(p, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /** What the container's networks need at start, from its create request. */
    private static NetworkService.StartRequest networkRequest(Container c) {
        HostOptions h = c.host();
        ContainerConfig cfg = c.cfg.config();
        return new NetworkService.StartRequest(c.id, c.name(), cfg.hostname(), cfg.domainname(), h.dns(), h.dnsSearch(),
                h.dnsOptions(), h.extraHosts(), h.portBindings(), h.publishAllPorts(), cfg.exposedPorts());
    }

    /** The link variables first, then the container's own, which win on the same name (moby's order). */
    private static List<String> withLinkEnv(List<String> linkEnv, List<String> own) {
        Map<String, String> byName = new java.util.LinkedHashMap<>();
        for (String e : linkEnv) {
            byName.put(e.substring(0, e.indexOf('=')), e);
        }
        for (String e : own == null ? List.<String>of() : own) {
            int eq = e.indexOf('=');
            byName.put(eq < 0 ? e : e.substring(0, eq), e);
        }
        return new ArrayList<>(byName.values());
    }

    /** {@link NetworkSetup#finish} after the runtime's create; on failure, undoes the start. */
    private void finishNetwork(ContainerId id, NetworkSetup netSetup) {
        try {
            netSetup.finish(paths.dir(id).resolve("resolv.conf"));
        } catch (IOException | RuntimeException e) {
            netSetup.settle();
            runtime.kill(id, 9, true);
            cleanup(id);
            if (e instanceof WharfException w && !(e instanceof InternalException)) {
                throw new StartFailure(w.getMessage(), 128, true, e);
            }
            throw new StartFailure("cannot prepare container: " + e.getMessage(), 128, false, e);
        }
    }

    /**
     * The hosts, hostname and resolv.conf files. {@code ns}: the container's namespace of Wharf's,
     * or null; {@code sandbox}: its finished set-up, or null while netavark is still at work (then
     * resolv.conf is written empty here and filled in place once the set-up is done).
     */
    private List<BindFile> writeHostFiles(Container c, NetworkService.Namespace ns, NetworkService.Sandbox sandbox,
            List<String> linkLines) throws IOException {
        Path dir = paths.dir(c.id);
        String host = c.cfg.config().hostname();
        boolean hostNet = "host".equals(c.cfg.hostConfig().networkMode());
        String hosts;
        if (ns != null) {
            hosts = ns.hosts();
        } else {
            Path etcHosts = Path.of("/etc/hosts");
            String hostFile = hostNet && Files.exists(etcHosts) ? Files.readString(etcHosts) : "";
            hosts = networks.hostsWithoutNetwork(networkRequest(c), hostNet, hostFile);
        }
        if (!linkLines.isEmpty()) {
            hosts = hosts + String.join("\n", linkLines) + "\n";
        }
        AtomicFiles.write(dir.resolve("hosts"), hosts.getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("hostname"), (host + "\n").getBytes(StandardCharsets.UTF_8));
        Path hostResolv = Path.of("/etc/resolv.conf");
        byte[] resolv = sandbox != null ? sandbox.resolvConf().getBytes(StandardCharsets.UTF_8)
                : ns != null ? new byte[0]
                : Files.exists(hostResolv) ? Files.readAllBytes(hostResolv) : new byte[0];
        AtomicFiles.write(dir.resolve("resolv.conf"), resolv);
        return List.of(new BindFile(dir.resolve("hosts"), "/etc/hosts", false),
                new BindFile(dir.resolve("hostname"), "/etc/hostname", false),
                new BindFile(dir.resolve("resolv.conf"), "/etc/resolv.conf", false));
    }
}
