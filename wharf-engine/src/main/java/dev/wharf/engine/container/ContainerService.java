package dev.wharf.engine.container;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotImplementedException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.error.NotModifiedException;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.base.id.ContainerId;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.event.EventService;
import dev.wharf.engine.image.ImageService;
import dev.wharf.engine.network.NetworkService;
import dev.wharf.engine.volume.VolumeService;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.ContainerInspect;
import dev.wharf.model.container.ContainerSummary;
import dev.wharf.model.container.CreateResponse;
import dev.wharf.model.container.HostConfig;
import dev.wharf.model.container.WaitResponse;
import dev.wharf.runtime.cgroup.CgroupSupport;
import dev.wharf.runtime.sys.HostSecurity;
import dev.wharf.runtime.ExitWatcher;
import dev.wharf.runtime.OciRuntime;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.ContainerTable;
import dev.wharf.store.table.ContainerTable.ContainerRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Containers: create, start, stop, kill, restart, remove, wait, attach, logs, list, inspect.
 * Public methods find the container and take its lock; the runtime work is in
 * {@link ContainerStarter} and the rendering in {@link ContainerViews}.
 */
public final class ContainerService implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("wharf.container");

    private final ContainerTable table;
    private final ImageService images;
    private final EventService events;
    private final OciRuntime runtime;
    private final ContainerPaths paths;
    private final ContainerStarter starter;
    private final Map<String, Container> byId = new ConcurrentHashMap<>();
    private final ExitWatcher exitWatcher;
    private final VolumeService volumes;
    private final MountPlanner mountPlanner;
    private final NetworkService networks;
    private final RestartScheduler restarts = new RestartScheduler();
    private final LogRotator logRotator = new LogRotator();

    public ContainerService(ContainerTable table, ImageService images, LayerStore layers, EventService events,
            OciRuntime runtime, VolumeService volumes, Path dataRoot, Path execRoot, NetworkService networks)
            throws IOException {
        this.table = table;
        this.networks = networks;
        this.volumes = volumes;
        this.mountPlanner = new MountPlanner(volumes);
        this.images = images;
        this.events = events;
        this.runtime = runtime;
        this.paths = new ContainerPaths(dataRoot, execRoot);
        this.starter = new ContainerStarter(runtime, images, layers, paths, volumes, networks, this::find);
        Files.createDirectories(paths.exitDir());
        Files.createDirectories(paths.socketDir());
        Files.createDirectories(dataRoot.resolve("containers"));
        Files.createDirectories(execRoot.resolve("containers"));
        for (ContainerRow row : table.list()) {
            StoredConfig cfg = Json.mapper().readValue(row.config(), StoredConfig.class);
            StateRecord st = Json.mapper().readValue(row.state(), StateRecord.class);
            Container c = new Container(cfg, st);
            if (row.health() != null) {
                c.health = Json.mapper().readValue(row.health(),
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
            }
            byId.put(row.id(), c);
        }
        this.exitWatcher = new ExitWatcher(paths.exitDir(), this::onExit);
    }

    /**
     * Brings memory in line with what is really there after a restart or crash, then starts
     * watching exits: containers whose conmon still runs stay running; those that exited meanwhile
     * get their exit code; half-removed ones are finished.
     */
    public void reconcile() {
        List<Container> toRestart = new ArrayList<>();
        for (Container c : List.copyOf(byId.values())) {
            String s = c.state.status();
            if (s.equals("restarting")) {
                // the daemon stopped during a restart's back-off: the policy already decided
                setState(c, c.state.withStatus("exited"));
                toRestart.add(c);
            } else if (s.equals("exited") && !c.state.startedAt().equals(StateRecord.ZERO)
                    && RestartScheduler.shouldRestart(c.cfg.hostConfig().restartPolicy(), c.state.exitCode(),
                            c.state.restartCount(), c.state.manuallyStopped(), true)) {
                toRestart.add(c);
            } else if (s.equals("removing")) {
                finishRemove(c, c.cfg.hostConfig().autoRemove());
            } else if (!c.state.running() && Files.exists(paths.conmonPid(c.id))) {
                // A start that a crash cut short (never reported as started): undo it.
                LOG.log(System.Logger.Level.WARNING, "container " + c.id + " has a half-done start; undoing it");
                starter.cleanup(c.id);
            } else if (c.state.running()) {
                Path exit = paths.exitDir().resolve(c.id);
                if (Files.exists(exit)) {
                    continue; // the watcher reports it at start
                }
                if (c.state.conmonPid() > 0 && runtime.conmonAlive(c.state.conmonPid())) {
                    continue;
                }
                LOG.log(System.Logger.Level.WARNING, "container " + c.id + " lost its monitor; marking it exited");
                onExit(c.id, 255);
            }
        }
        exitWatcher.start();
        for (Container c : List.copyOf(byId.values())) {
            if (!c.removed && c.state.running()) {
                logRotator.watch(c.id, paths.log(c.id), LogConfigCheck.of(c.cfg.hostConfig().logConfig()));
            }
        }
        for (Container c : toRestart) {
            c.lock.lock();
            try {
                if (!c.removed && !c.state.running()) {
                    scheduleRestart(c, Duration.ZERO);
                }
            } finally {
                c.lock.unlock();
            }
        }
    }

    // ---- create ----

    public CreateResponse create(String name, ContainerCreateRequest req) {
        ContainerConfig cfg = req.config();
        HostConfig hc = req.hostConfig();
        if (cfg.image() == null || cfg.image().isEmpty()) {
            throw new InvalidArgumentException("No image specified");
        }
        String n = name == null || name.isEmpty() ? null : Names.validate(name);
        validateHostConfig(hc);
        LogConfigCheck.of(hc.logConfig());
        HostConfinement.validate(hc);
        List<String> warnings = new ArrayList<>(OptionChecks.check(hc, HostSecurity.host().appArmor(),
                HostSecurity.host().selinux()));
        ResourceSupport.Adapted adapted = ResourceSupport.adapt(hc, CgroupSupport.host());
        hc = adapted.hostConfig();
        warnings.addAll(adapted.warnings());
        HostConfinement.limits(hc.other()); // block devices and ranges of what will be applied: 400s now
        hc = HostConfinement.withCgroupnsDefault(hc, dev.wharf.runtime.cgroup.Cgroups.isV2());
        hc = DevicePolicy.withPathDefaults(hc);
        String joined = SharedNetns.ref(hc.networkMode());
        if (joined != null) {
            SharedNetns.checkConflicts(cfg, hc, endpointsConfig(req.networkingConfig()));
            Container other = find(joined);
            hc = SharedNetns.withContainer(hc, other.id);
            cfg = cfg.withHostname(other.cfg.config().hostname());
        }
        networks.validate(hc.networkMode(), endpointsConfig(req.networkingConfig()), hc.other().get("PortBindings"),
                hc.other().get("ExtraHosts"));
        ImageService.Resolved img = images.resolve(cfg.image());
        var rc = img.config().config();
        if (rc != null) {
            cfg = cfg.mergeImageDefaults(rc.env(), rc.cmd(), rc.entrypoint(), rc.workingDir(), rc.user(),
                    rc.labels(), rc.exposedPorts(), rc.volumes(), rc.stopSignal());
        }
        cfg = Healthchecks.merge(cfg, rc == null ? null : rc.healthcheck());
        List<String> argv = new ArrayList<>();
        if (cfg.entrypoint() != null) {
            argv.addAll(cfg.entrypoint());
        }
        if (cfg.cmd() != null) {
            argv.addAll(cfg.cmd());
        }
        if (argv.isEmpty()) {
            throw new InvalidArgumentException("No command specified");
        }
        String id = ContainerId.random().value();
        if (cfg.hostname() == null || cfg.hostname().isEmpty()) {
            cfg = cfg.withHostname(id.substring(0, 12));
        }
        if (cfg.env() == null || cfg.env().stream().noneMatch(e -> e.startsWith("PATH="))) {
            List<String> env = new ArrayList<>(cfg.env() == null ? List.of() : cfg.env());
            env.addFirst("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            cfg = new ContainerConfig(cfg.hostname(), cfg.domainname(), cfg.user(), cfg.attachStdin(),
                    cfg.attachStdout(), cfg.attachStderr(), cfg.exposedPorts(), cfg.tty(), cfg.openStdin(),
                    cfg.stdinOnce(), env, cfg.cmd(), cfg.image(), cfg.volumes(), cfg.workingDir(), cfg.entrypoint(),
                    cfg.labels(), cfg.stopSignal(), cfg.stopTimeout(), cfg.other());
        }
        if (n != null && byName(n).isPresent()) {
            throw nameConflict(n);
        }
        List<ContainerMount> mounts = planMounts(cfg, hc);
        List<Links.Link> links = Links.parse(hc.other().get("Links"));
        if ("host".equals(hc.networkMode()) && !links.isEmpty()) {
            throw new ConflictException("conflicting options: host type networking can't be used with links. "
                    + "This would result in undefined behavior");
        }
        Links.normalize(links, "", this::find); // 400 for a child that does not exist, before anything is made
        Instant now = Instant.now();
        for (int attempt = 0;; attempt++) {
            String nm = n != null ? n : Names.generate() + (attempt > 5 ? String.valueOf(attempt) : "");
            HostConfig linked = links.isEmpty() ? hc : Links.withLinks(hc, Links.normalize(links, nm, this::find));
            StoredConfig stored = new StoredConfig(id, nm, Times.rfc3339(now), img.id(), argv.getFirst(),
                    argv.subList(1, argv.size()), cfg, linked, req.networkingConfig(), mounts);
            StateRecord st = StateRecord.created();
            try {
                Files.createDirectories(paths.upper(id));
                Files.createDirectories(paths.work(id));
                boolean ok = table.insert(new ContainerRow(id, nm, img.id(), Times.nanos(now),
                        Json.mapper().writeValueAsString(stored), Json.mapper().writeValueAsString(st), st.status()));
                if (!ok) {
                    if (n != null) {
                        AtomicFiles.deleteTree(paths.dir(id));
                        throw nameConflict(n);
                    }
                    continue;
                }
            } catch (IOException e) {
                throw new InternalException("cannot create container: " + e.getMessage(), e);
            }
            try {
                networks.attach(id, nm, hc.networkMode(), endpointsConfig(req.networkingConfig()));
            } catch (RuntimeException e) {
                table.delete(id);
                try {
                    AtomicFiles.deleteTree(paths.dir(id));
                } catch (IOException ignored) {
                    // the directory is empty but for upper/ and work/
                }
                throw e;
            }
            Container c = new Container(stored, st);
            byId.put(id, c);
            volumes.addRefs(id, mounts.stream().filter(m -> m.type().equals("volume")).map(ContainerMount::name)
                    .toList());
            publish(c, "create", Map.of());
            return new CreateResponse(id, List.copyOf(warnings));
        }
    }

    private ConflictException nameConflict(String n) {
        String other = byName(n).map(c -> c.id).orElse("");
        return new ConflictException("Conflict. The container name \"/" + n + "\" is already in use by container \""
                + other + "\". You have to remove (or rename) that container to be able to reuse that name.");
    }

    @SuppressWarnings("unchecked")
    private List<ContainerMount> planMounts(ContainerConfig cfg, HostConfig hc) {
        Object mounts = hc.other().get("Mounts");
        Object from = hc.other().get("VolumesFrom");
        if (mounts != null && !(mounts instanceof List)) {
            throw new InvalidArgumentException("HostConfig.Mounts must be a list");
        }
        if (from != null && !(from instanceof List)) {
            throw new InvalidArgumentException("HostConfig.VolumesFrom must be a list");
        }
        Object tmpfs = hc.other().get("Tmpfs");
        if (tmpfs != null && !(tmpfs instanceof Map)) {
            throw new InvalidArgumentException("HostConfig.Tmpfs must be an object of path to options");
        }
        if (tmpfs != null) {
            // --tmpfs /path[:opts] as --mount type=tmpfs: one planner checks and records both.
            List<Map<String, Object>> all = new ArrayList<>(mounts == null ? List.of()
                    : (List<Map<String, Object>>) mounts);
            for (Map.Entry<String, Object> e : ((Map<String, Object>) tmpfs).entrySet()) {
                all.add(Map.of("Type", "tmpfs", "Target", e.getKey(), "TmpfsOptions",
                        Map.of("Options", String.valueOf(e.getValue() == null ? "" : e.getValue()))));
            }
            mounts = all;
        }
        return mountPlanner.plan(hc.binds(), (List<Map<String, Object>>) mounts, (List<String>) from,
                cfg.volumes(), ref -> {
                    Container src = find(ref);
                    return src.cfg.mounts() == null ? List.of() : src.cfg.mounts();
                });
    }

    private static void validateHostConfig(HostConfig hc) {
        if (hc.restartPolicy() != null && hc.restartPolicy().name() != null) {
            String p = hc.restartPolicy().name();
            if (!List.of("", "no", "always", "on-failure", "unless-stopped").contains(p)) {
                throw new InvalidArgumentException("invalid restart policy: unknown policy '" + p
                        + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
            }
            if (hc.autoRemove() && !p.isEmpty() && !p.equals("no")) {
                throw new InvalidArgumentException(
                        "can't create 'AutoRemove' container with restart policy");
            }
        }
    }

    // ---- lookup ----

    Container find(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw new NotFoundException("No such container: " + idOrName);
        }
        Container c = byId.get(idOrName);
        if (c != null && !c.removed) {
            return c;
        }
        String name = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
        Optional<Container> byName = byName(name);
        if (byName.isPresent()) {
            return byName.get();
        }
        List<Container> prefix = byId.values().stream().filter(x -> !x.removed && x.id.startsWith(idOrName))
                .toList();
        if (prefix.size() == 1) {
            return prefix.getFirst();
        }
        if (prefix.size() > 1) {
            throw new InvalidArgumentException("multiple IDs found with provided prefix: " + idOrName);
        }
        throw new NotFoundException("No such container: " + idOrName);
    }

    private Optional<Container> byName(String name) {
        return byId.values().stream().filter(x -> !x.removed && x.name().equals(name)).findFirst();
    }

    // ---- start / stop / kill / restart ----

    public void start(String idOrName) {
        Container c = find(idOrName);
        c.lock.lock();
        try {
            if (c.state.running()) {
                throw new NotModifiedException("container already started");
            }
            if (c.state.status().equals("removing")) {
                throw new ConflictException("container is marked for removal and cannot be started");
            }
            restarts.reset(c.id);
            setState(c, c.state.withRestartCount(0).withManuallyStopped(false));
            startLocked(c);
        } finally {
            c.lock.unlock();
        }
    }

    /** Caller holds lock. */
    private void startLocked(Container c) {
        try {
            ContainerStarter.Started s = starter.start(c, c.takePendingAttach());
            setState(c, c.state.started(s.pid(), s.conmonPid(), Times.rfc3339(Instant.now())));
            publish(c, "start", Map.of());
        } catch (ContainerStarter.StartFailure f) {
            setState(c, c.state.failedStart(f.exitCode(), f.getMessage(), Times.rfc3339(Instant.now())));
            c.exited(f.exitCode());
            if (c.cfg.hostConfig().autoRemove()) {
                Thread.ofVirtual().start(() -> removeQuietly(c));
            }
            throw f.toApiError();
        }
    }

    public void stop(String idOrName, Integer timeoutSeconds, String signal) {
        Container c = find(idOrName);
        if (cancelRestart(c, true)) {
            publish(c, "stop", Map.of());
            return;
        }
        if (!c.state.running()) {
            throw new NotModifiedException("container already stopped");
        }
        int sig = Signals.parse(signal, Signals.parse(c.cfg.config().stopSignal(), 15));
        int t = timeoutSeconds != null ? timeoutSeconds
                : c.cfg.config().stopTimeout() != null ? c.cfg.config().stopTimeout() : 10;
        stopAndWait(c, sig, t);
        publish(c, "stop", Map.of());
    }

    private void stopAndWait(Container c, int sig, int timeoutSeconds) {
        CompletableFuture<Integer> exit = c.nextExit();
        if (!c.state.running()) {
            return;
        }
        try {
            publish(c, "kill", Map.of("signal", String.valueOf(sig)));
            runtime.kill(c.id, sig, false);
            thawIfPaused(c);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "stop signal failed: " + e.getMessage());
        }
        if (await(exit, timeoutSeconds < 0 ? Long.MAX_VALUE : timeoutSeconds * 1000L)) {
            return;
        }
        try {
            publish(c, "kill", Map.of("signal", "9"));
            runtime.kill(c.id, 9, true);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "SIGKILL failed: " + e.getMessage());
        }
        for (int i = 0; i < 30 && !await(exit, 1_000); i++) {
            // a monitor that died without writing the exit file reports nothing: do it for it
            if (c.state.conmonPid() > 0 && !runtime.conmonAlive(c.state.conmonPid())
                    && !Files.exists(paths.exitDir().resolve(c.id))) {
                LOG.log(System.Logger.Level.WARNING, "container " + c.id + " lost its monitor; marking it exited");
                onExit(c.id, 137);
            }
        }
        if (!exit.isDone()) {
            throw new InternalException("container " + c.id + " did not exit after SIGKILL");
        }
    }

    /** A frozen process cannot handle a signal: as moby does, thaw a paused container after signalling it. */
    private void thawIfPaused(Container c) {
        if (c.state.status().equals("paused")) {
            try {
                runtime.resume(c.id);
                setState(c, c.state.withStatus("running"));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "resume after signal failed: " + e.getMessage());
            }
        }
    }

    private static boolean await(CompletableFuture<Integer> f, long millis) {
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    public void kill(String idOrName, String signal) {
        Container c = find(idOrName);
        int sig = Signals.parse(signal, 9);
        boolean final_ = sig == 9 || sig == Signals.parse(c.cfg.config().stopSignal(), 15);
        if (cancelRestart(c, final_) && c.state.status().equals("exited")) {
            return;
        }
        if (!c.state.running()) {
            throw new ConflictException("Container " + c.id + " is not running");
        }
        CompletableFuture<Integer> exit = c.nextExit();
        publish(c, "kill", Map.of("signal", String.valueOf(sig)));
        runtime.kill(c.id, sig, sig == 9);
        thawIfPaused(c);
        if (sig == 9) {
            await(exit, 5_000);
        }
    }

    public void restart(String idOrName, Integer timeoutSeconds, String signal) {
        Container c = find(idOrName);
        cancelRestart(c, true);
        if (c.state.running()) {
            int sig = Signals.parse(signal, Signals.parse(c.cfg.config().stopSignal(), 15));
            int t = timeoutSeconds != null ? timeoutSeconds
                    : c.cfg.config().stopTimeout() != null ? c.cfg.config().stopTimeout() : 10;
            stopAndWait(c, sig, t);
        }
        c.lock.lock();
        try {
            if (!c.state.running()) {
                restarts.reset(c.id);
                setState(c, c.state.withRestartCount(0).withManuallyStopped(false));
                startLocked(c);
            }
        } finally {
            c.lock.unlock();
        }
        publish(c, "restart", Map.of());
    }

    public void resize(String idOrName, int height, int width) {
        Container c = find(idOrName);
        if (!c.state.running()) {
            throw new ConflictException("Container " + c.id + " is not running");
        }
        if (c.cfg.config().tty()) {
            runtime.resize(paths.bundle(c.id), height, width);
        }
    }

    // ---- exit ----

    /** Called by the exit watcher (and at reconcile) when conmon reports the container's exit. */
    private void onExit(String id, int code) {
        Container c = byId.get(id);
        if (c == null) {
            // Not ours (or conmon's temporary file before its rename): never touch it.
            return;
        }
        boolean autoRemove;
        c.lock.lock();
        try {
            if (!c.state.running()) {
                LOG.log(System.Logger.Level.DEBUG, "exit of " + id + " ignored in state " + c.state.status());
                deleteExitFile(id);
                return;
            }
            boolean oom = Files.exists(paths.bundle(id).resolve("oom")); // read before cleanup deletes it
            Duration ranFor = Duration.between(Instant.parse(c.state.startedAt()), Instant.now());
            starter.cleanup(c.id);
            setState(c, c.state.exited(code, Times.rfc3339(Instant.now()), oom));
            deleteExitFile(id);
            if (oom) {
                publish(c, "oom", Map.of());
            }
            publish(c, "die", Map.of("exitCode", String.valueOf(code)));
            c.exited(code);
            autoRemove = c.cfg.hostConfig().autoRemove();
            if (!autoRemove && RestartScheduler.shouldRestart(c.cfg.hostConfig().restartPolicy(), code,
                    c.state.restartCount(), c.state.manuallyStopped(), false)) {
                scheduleRestart(c, ranFor);
            }
        } finally {
            c.lock.unlock();
        }
        if (autoRemove) {
            removeQuietly(c);
        }
    }

    private void deleteExitFile(String id) {
        try {
            Files.deleteIfExists(paths.exitDir().resolve(id));
        } catch (IOException ignored) {
            // a stale exit file is removed again before the next start
        }
    }

    // ---- restart policy ----

    /** Caller holds lock. Marks the container restarting and has the scheduler start it after the back-off. */
    private void scheduleRestart(Container c, Duration ranFor) {
        long delay = restarts.nextDelay(c.id, ranFor);
        setState(c, c.state.withStatus("restarting").withRestartCount(c.state.restartCount() + 1));
        restarts.schedule(c.id, delay, token -> restartByPolicy(c, token));
    }

    private void restartByPolicy(Container c, long token) {
        c.lock.lock();
        try {
            if (c.removed || !c.state.status().equals("restarting") || !restarts.isCurrent(c.id, token)) {
                return;
            }
            restarts.cancel(c.id);
            try {
                startLocked(c);
                publish(c, "restart", Map.of());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "restart of " + c.id + " failed: " + e.getMessage());
                if (!c.removed && RestartScheduler.shouldRestart(c.cfg.hostConfig().restartPolicy(),
                        c.state.exitCode(), c.state.restartCount(), c.state.manuallyStopped(), false)) {
                    scheduleRestart(c, Duration.ZERO);
                }
            }
        } finally {
            c.lock.unlock();
        }
    }

    /**
     * A stop, kill, restart or forced remove: with {@code manual}, the policy waits for the next
     * start. A container waiting in its back-off becomes exited; returns whether it was.
     */
    private boolean cancelRestart(Container c, boolean manual) {
        c.lock.lock();
        try {
            if (c.removed) {
                return false;
            }
            if (c.state.status().equals("restarting")) {
                restarts.cancel(c.id);
                setState(c, c.state.withStatus("exited").withManuallyStopped(manual || c.state.manuallyStopped()));
                c.exited(c.state.exitCode());
                return true;
            }
            if (manual && c.state.running() && !c.state.manuallyStopped()) {
                setState(c, c.state.withManuallyStopped(true));
            }
            return false;
        } finally {
            c.lock.unlock();
        }
    }

    // ---- remove ----

    public void remove(String idOrName, boolean force, boolean volumes) {
        Container c = find(idOrName);
        if (force) {
            cancelRestart(c, true);
        }
        if (c.state.running()) {
            if (!force) {
                throw new ConflictException("You cannot remove a running container " + c.id
                        + ". Stop the container before attempting removal or force remove");
            }
            stopAndWait(c, 9, 0);
        }
        c.lock.lock();
        try {
            if (c.removed) {
                return;
            }
            if (c.state.running()) {
                throw new ConflictException("You cannot remove a running container " + c.id
                        + ". Stop the container before attempting removal or force remove");
            }
            setState(c, c.state.withStatus("removing"));
            finishRemove(c, volumes || c.cfg.hostConfig().autoRemove());
        } finally {
            c.lock.unlock();
        }
    }

    private void removeQuietly(Container c) {
        try {
            remove(c.id, true, true);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "auto-remove of " + c.id + " failed: " + e.getMessage());
        }
    }

    /** Caller holds lock (or is the reconciler). */
    private void finishRemove(Container c, boolean removeAnonymousVolumes) {
        restarts.reset(c.id);
        starter.cleanup(c.id);
        networks.release(c.id);
        List<String> vols = volumes.volumesOf(c.id);
        try {
            AtomicFiles.deleteTree(paths.bundle(c.id));
            AtomicFiles.deleteTree(paths.dir(c.id));
        } catch (IOException e) {
            throw new InternalException("cannot remove container files: " + e.getMessage(), e);
        }
        table.delete(c.id);
        byId.remove(c.id);
        if (removeAnonymousVolumes) {
            volumes.removeAnonymousOf(c.id, vols);
        }
        publish(c, "destroy", Map.of());
        c.markRemoved();
    }

    // ---- wait ----

    /**
     * Registers a wait now, so that a wait opened before start sees the exit; the future completes
     * when the condition holds.
     */
    public CompletableFuture<WaitResponse> waitFor(String idOrName, String condition) {
        String cond = condition == null || condition.isEmpty() ? "not-running" : condition;
        if (!List.of("not-running", "next-exit", "removed").contains(cond)) {
            throw new InvalidArgumentException("invalid condition: \"" + cond + "\"");
        }
        Container c = find(idOrName);
        CompletableFuture<Integer> f = switch (cond) {
            case "removed" -> c.removal();
            case "next-exit" -> c.nextExit();
            default -> {
                CompletableFuture<Integer> e = c.nextExit();
                yield c.state.running() ? e : CompletableFuture.completedFuture(c.state.exitCode());
            }
        };
        return f.thenApply(code -> new WaitResponse(null, code));
    }

    // ---- attach / logs ----

    /** Options of {@code /containers/{id}/attach}; {@code detachKeys} null or empty means ctrl-p,ctrl-q. */
    public record AttachOptions(boolean stream, boolean logs, boolean stdin, boolean stdout, boolean stderr,
            String detachKeys) {

        public AttachOptions(boolean stream, boolean logs, boolean stdin, boolean stdout, boolean stderr) {
            this(stream, logs, stdin, stdout, stderr, null);
        }
    }

    /** Whether the container has a TTY, which decides raw or multiplexed streams. */
    public boolean tty(String idOrName) {
        return find(idOrName).cfg.config().tty();
    }

    /** Fails before the upgrade if the container cannot be attached to. */
    public String checkAttachable(String idOrName) {
        Container c = find(idOrName);
        return c.id;
    }

    /** Streams the container's output to {@code out} (and {@code in} to its stdin) until it ends. */
    /** The client's side of an attach, opened (the HTTP upgrade sent) only once the session is registered. */
    public record AttachStreams(InputStream in, OutputStream out) {
    }

    /** Opens the client's streams; called after the session is in place, so a start that follows sees it. */
    @FunctionalInterface
    public interface AttachOpener {
        AttachStreams open() throws IOException;
    }

    /**
     * Streams the container's output to the client (and the client's stdin to it) until it ends.
     * The session is registered before {@code opener} upgrades the connection: the docker CLI sends
     * {@code start} as soon as it sees the upgrade, and that start must find the session.
     */
    public void attach(String idOrName, AttachOptions o, AttachOpener opener) throws IOException {
        Container c = find(idOrName);
        boolean tty = c.cfg.config().tty();
        boolean readable = LogConfigCheck.of(c.cfg.hostConfig().logConfig()).readable();
        if (!o.stream()) {
            AttachStreams st = opener.open();
            if (o.logs() && readable) {
                LogStreamer.replay(paths.log(c.id), new LogStreamer.Options(o.stdout(), o.stderr(), false, null, null,
                        -1, false), st.out(), tty);
            }
            publish(c, "attach", Map.of()); // as Docker: after the logs, stream or not
            return;
        }
        boolean stdin = o.stdin() && c.cfg.config().openStdin();
        byte[] keys = DetachKeys.parse(o.detachKeys()); // a 400 before the upgrade
        AttachSession s = new AttachSession(null, null, tty, stdin, o.stdout(), o.stderr(), c.cfg.config().stdinOnce(),
                readable ? paths.log(c.id) : null, keys);
        boolean live;
        c.lock.lock();
        try {
            if (c.state.running()) {
                s.connect(runtime.attach(paths.socketDir(), c.id), c.state.conmonPid());
                live = true;
            } else if (c.state.status().equals("created") || c.state.status().equals("exited")) {
                c.addPendingAttach(s);
                live = true;
            } else {
                live = false;
            }
        } finally {
            c.lock.unlock();
        }
        try {
            AttachStreams st = opener.open();
            if (o.logs() && readable) {
                LogStreamer.replay(paths.log(c.id), new LogStreamer.Options(o.stdout(), o.stderr(), false, null, null,
                        -1, false), st.out(), tty);
            }
            publish(c, "attach", Map.of());
            if (!live) {
                return;
            }
            s.bind(st.in(), st.out());
            s.run();
        } finally {
            c.removePendingAttach(s);
        }
        publish(c, "detach", Map.of());
    }

    /** Fails (501, as Docker) when the container's logging driver keeps nothing to read. */
    private static void checkLogsReadable(Container c) {
        if (!LogConfigCheck.of(c.cfg.hostConfig().logConfig()).readable()) {
            throw new NotImplementedException("configured logging driver does not support reading");
        }
    }

    /** Fails before the response starts when {@code docker logs} cannot be served. */
    public void checkLogs(String idOrName) {
        checkLogsReadable(find(idOrName));
    }

    /** {@code GET /containers/{id}/logs}. */
    public void logs(String idOrName, LogStreamer.Options o, OutputStream out) throws IOException {
        Container c = find(idOrName);
        checkLogsReadable(c);
        boolean tty = c.cfg.config().tty();
        Supplier<Boolean> done = () -> !c.state.running();
        if (o.follow() && c.state.running()) {
            LogStreamer.follow(paths.log(c.id), o, out, tty, done);
        } else {
            LogStreamer.replay(paths.log(c.id), o, out, tty);
        }
    }

    // ---- pause / unpause / top ----

    /** Freezes every process of the container (cgroup freezer). */
    public void pause(String idOrName) {
        Container c = find(idOrName);
        c.lock.lock();
        try {
            if (!c.state.running()) {
                throw new ConflictException("Container " + c.id + " is not running");
            }
            if (c.state.status().equals("paused")) {
                throw new ConflictException("Container " + c.id + " is already paused");
            }
            runtime.pause(c.id);
            setState(c, c.state.withStatus("paused"));
            publish(c, "pause", Map.of());
        } finally {
            c.lock.unlock();
        }
    }

    public void unpause(String idOrName) {
        Container c = find(idOrName);
        c.lock.lock();
        try {
            if (!c.state.status().equals("paused")) {
                throw new ConflictException("Container " + c.id + " is not paused");
            }
            runtime.resume(c.id);
            setState(c, c.state.withStatus("running"));
            publish(c, "unpause", Map.of());
        } finally {
            c.lock.unlock();
        }
    }

    /** {@code docker top}: the container's processes as the host's ps shows them. */
    public Map<String, Object> top(String idOrName, String psArgs) {
        Container c = find(idOrName);
        if (!c.state.running()) {
            throw new ConflictException("Container " + c.id + " is not running");
        }
        Top.Result r;
        try {
            r = Top.parse(runtime.ps(c.id, Top.args(psArgs)));
        } catch (dev.wharf.runtime.RuntimeCommandException e) {
            throw new InternalException("ps: " + e.getMessage(), e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Titles", r.titles());
        out.put("Processes", r.processes());
        return out;
    }

    // ---- rename / update / health ----

    /** {@code POST /containers/{id}/rename}: 400 empty, invalid or same name; 409 taken. */
    public void rename(String idOrName, String newName) {
        new Renamer(this).rename(find(idOrName), newName);
    }

    /** {@code POST /containers/{id}/update}: restart policy and resources; {@code {"Warnings":null}}. */
    public Map<String, Object> update(String idOrName, Map<String, Object> body) {
        return new Updater(this, runtime, paths).update(find(idOrName), body);
    }

    /** A sampler of the container's cgroup and network counters, for {@code /stats}. */
    public Stats stats(String idOrName) {
        return new Stats(find(idOrName));
    }

    /**
     * Sets State.Health as inspect shows it (null: no healthcheck) and persists it, so a restarted
     * daemon shows it and resumes from it; for the health monitor.
     */
    public void setHealth(String id, Map<String, Object> health) {
        Container c = byId.get(id);
        if (c == null || c.removed) {
            return;
        }
        c.health = health;
        try {
            table.updateHealth(id, health == null ? null : Json.mapper().writeValueAsString(health));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InternalException("cannot persist health: " + e.getMessage(), e);
        }
    }

    /** The container's State.Health as last set (persisted across restarts); null if none. */
    public Map<String, Object> health(String id) {
        Container c = byId.get(id);
        return c == null ? null : c.health;
    }

    /** When the container's current run started (State.StartedAt); for the health monitor's start period. */
    public Instant startedAt(String id) {
        Container c = byId.get(id);
        return c == null || c.state.startedAt().equals(StateRecord.ZERO) ? Instant.now()
                : Instant.parse(c.state.startedAt());
    }

    /** Caller holds lock. Persists a new name or config; 409 when the name is another container's. */
    void saveConfig(Container c, StoredConfig cfg) {
        try {
            if (!table.updateConfig(c.id, cfg.name(), Json.mapper().writeValueAsString(cfg))) {
                throw nameConflict(cfg.name());
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InternalException("cannot persist config: " + e.getMessage(), e);
        }
        c.cfg = cfg;
    }

    void publishEvent(Container c, String action, Map<String, String> extra) {
        publish(c, action, extra);
    }

    // ---- exec ----

    /** The container an exec runs in; 404 when there is none. */
    public ExecTarget execTarget(String idOrName) {
        Container c = find(idOrName);
        return new ExecTarget(c.id, c.name(), c.state.status(), paths.bundle(c.id), paths.rootfs(c.id),
                paths.socketDir(), c.cfg.config(), c.cfg.hostConfig().privileged(), eventAttributes(c));
    }

    /** Whether the container with this ID runs now (for "is the volume in use by a running one?"). */
    public boolean isRunning(String id) {
        Container c = byId.get(id);
        return c != null && c.state.running();
    }

    // ---- networks ----

    /** {@code POST /networks/{id}/connect}: leases an address, and sets it up if the container runs. */
    public void connectNetwork(String network, String idOrName, Object endpointConfig) {
        Container c = find(idOrName);
        c.lock.lock();
        try {
            networks.connect(network, c.id, c.name(), c.cfg.hostConfig().networkMode(), endpointConfig,
                    c.state.running());
            if (c.state.running()) {
                editHosts(network, c, true);
            }
        } finally {
            c.lock.unlock();
        }
    }

    /** Adds or removes the container's own line for the network in its running hosts file. */
    private void editHosts(String network, Container c, boolean add) {
        String ip = networks.addressOn(network, c.id);
        if (ip == null) {
            return;
        }
        try {
            Path hosts = paths.dir(c.id).resolve("hosts");
            if (add) {
                HostsFile.add(hosts, ip, c.cfg.config().hostname());
            } else {
                HostsFile.remove(hosts, ip);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot update the hosts file of " + c.id + ": " + e.getMessage());
        }
    }

    /** {@code POST /networks/{id}/disconnect}. */
    public void disconnectNetwork(String network, String idOrName) {
        Container c = find(idOrName);
        c.lock.lock();
        try {
            if (c.state.running()) {
                editHosts(network, c, false);
            }
            networks.disconnect(network, c.id, c.name(), c.state.running());
        } finally {
            c.lock.unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> endpointsConfig(Map<String, Object> networkingConfig) {
        Object e = networkingConfig == null ? null : networkingConfig.get("EndpointsConfig");
        return e instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    // ---- list / inspect ----

    public ContainerInspect inspect(String idOrName, boolean size) {
        Container c = find(idOrName);
        return ContainerViews.inspect(c, paths, images.tagsOf(c.cfg.imageId()), networks);
    }

    public List<ContainerSummary> list(boolean all, int limit, Filters filters) {
        ContainerFilter filter = ContainerFilter.compile(filters, v -> Instant.parse(find(v).cfg.created()),
                images::withChildren);
        // Newest first; each creation time is parsed once, not once per comparison.
        Map<Container, Instant> created = new java.util.IdentityHashMap<>();
        for (Container c : byId.values()) {
            if (!c.removed) {
                created.put(c, Instant.parse(c.cfg.created()));
            }
        }
        List<Container> cs = created.keySet().stream()
                .sorted(Comparator.comparing((Container c) -> created.get(c)).reversed()
                        .thenComparing((Container c) -> c.id)).toList();
        List<ContainerSummary> out = new ArrayList<>();
        Map<String, List<String>> linkNames = Links.namesByChild(byId.values());
        for (Container c : cs) {
            // As Docker: stopped containers show with all, a limit, or a status filter.
            if (!all && limit <= 0 && !c.state.running() && !filter.listsStopped()) {
                continue;
            }
            ContainerSummary s = ContainerViews.summary(c, networks);
            if (!filter.test(ContainerViews.facts(c, s, created.get(c)))) {
                continue;
            }
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

    /**
     * {@code DELETE /containers/parent/alias?link=1}: removes the legacy link {@code alias} of
     * {@code parent}, as moby's {@code rmLink}; the parent's inspect no longer lists it.
     */
    public void removeLink(String linkName) {
        String n = linkName.startsWith("/") ? linkName.substring(1) : linkName;
        int slash = n.lastIndexOf('/');
        if (slash < 0) {
            throw new ConflictException("Conflict, cannot remove the default link name of the container");
        }
        Container parent;
        try {
            parent = find(n.substring(0, slash));
        } catch (NotFoundException e) {
            throw new InvalidArgumentException("Cannot get parent /" + n.substring(0, slash) + " for link name /" + n);
        }
        String alias = n.substring(slash + 1);
        parent.lock.lock();
        try {
            HostConfig hc = parent.cfg.hostConfig();
            List<String> kept = new ArrayList<>();
            boolean found = false;
            List<Object> stored = hc.other().get("Links") instanceof List<?> l ? new ArrayList<>(l) : List.of();
            for (Object o : stored) {
                List<Links.Link> one = Links.parse(List.of(o));
                if (!one.isEmpty() && one.getFirst().alias().equals(alias)) {
                    found = true;
                } else {
                    kept.add(String.valueOf(o));
                }
            }
            if (!found) {
                throw new NotFoundException("No such container: " + n);
            }
            StoredConfig cfg = parent.cfg;
            saveConfig(parent, new StoredConfig(cfg.id(), cfg.name(), cfg.created(), cfg.imageId(), cfg.path(),
                    cfg.args(), cfg.config(), Links.withLinks(hc, kept.isEmpty() ? null : kept),
                    cfg.networkingConfig(), cfg.mounts()));
        } finally {
            parent.lock.unlock();
        }
    }

    public Map<String, Integer> counts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        int running = 0;
        int paused = 0;
        int stopped = 0;
        for (Container c : byId.values()) {
            switch (c.state.status()) {
                case "running", "restarting" -> running++;
                case "paused" -> paused++;
                default -> stopped++;
            }
        }
        m.put("total", running + paused + stopped);
        m.put("running", running);
        m.put("paused", paused);
        m.put("stopped", stopped);
        return m;
    }

    // ---- helpers ----

    private void setState(Container c, StateRecord st) {
        c.state = st;
        if (st.running()) {
            logRotator.watch(c.id, paths.log(c.id), LogConfigCheck.of(c.cfg.hostConfig().logConfig()));
        } else {
            logRotator.unwatch(c.id);
        }
        try {
            table.updateState(c.id, Json.mapper().writeValueAsString(st), st.status());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InternalException("cannot persist state: " + e.getMessage(), e);
        }
    }

    private void publish(Container c, String action, Map<String, String> extra) {
        Map<String, String> attrs = eventAttributes(c);
        attrs.putAll(extra);
        events.publish("container", action, c.id, attrs);
    }

    private static Map<String, String> eventAttributes(Container c) {
        Map<String, String> attrs = new LinkedHashMap<>();
        if (c.cfg.config().labels() != null) {
            attrs.putAll(c.cfg.config().labels());
        }
        attrs.put("image", c.cfg.config().image());
        attrs.put("name", c.name());
        return attrs;
    }

    /** Where the container's files are; for {@link ContainerFiles} (archive, export, diff, commit). */
    ContainerPaths paths() {
        return paths;
    }

    /** The host directory of a named volume; for {@link ContainerFiles} (cp into a volume). */
    Path volumeDir(String name) {
        return volumes.mountpoint(name);
    }

    void forEach(Consumer<Container> action) {
        byId.values().forEach(action);
    }

    @Override
    public void close() {
        exitWatcher.close();
        logRotator.close();
    }
}
