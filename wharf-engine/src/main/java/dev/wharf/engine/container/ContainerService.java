package dev.wharf.engine.container;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.error.NotModifiedException;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.base.id.ContainerId;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.event.EventService;
import dev.wharf.engine.image.ImageService;
import dev.wharf.model.Json;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.ContainerInspect;
import dev.wharf.model.container.ContainerSummary;
import dev.wharf.model.container.CreateResponse;
import dev.wharf.model.container.HostConfig;
import dev.wharf.model.container.WaitResponse;
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

    public ContainerService(ContainerTable table, ImageService images, LayerStore layers, EventService events,
            OciRuntime runtime, Path dataRoot, Path execRoot) throws IOException {
        this.table = table;
        this.images = images;
        this.events = events;
        this.runtime = runtime;
        this.paths = new ContainerPaths(dataRoot, execRoot);
        this.starter = new ContainerStarter(runtime, images, layers, paths);
        Files.createDirectories(paths.exitDir());
        Files.createDirectories(paths.socketDir());
        Files.createDirectories(dataRoot.resolve("containers"));
        Files.createDirectories(execRoot.resolve("containers"));
        for (ContainerRow row : table.list()) {
            StoredConfig cfg = Json.mapper().readValue(row.config(), StoredConfig.class);
            StateRecord st = Json.mapper().readValue(row.state(), StateRecord.class);
            byId.put(row.id(), new Container(cfg, st));
        }
        this.exitWatcher = new ExitWatcher(paths.exitDir(), this::onExit);
    }

    /**
     * Brings memory in line with what is really there after a restart or crash, then starts
     * watching exits: containers whose conmon still runs stay running; those that exited meanwhile
     * get their exit code; half-removed ones are finished.
     */
    public void reconcile() {
        for (Container c : List.copyOf(byId.values())) {
            String s = c.state.status();
            if (s.equals("removing")) {
                finishRemove(c);
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
        ImageService.Resolved img = images.resolve(cfg.image());
        var rc = img.config().config();
        if (rc != null) {
            cfg = cfg.mergeImageDefaults(rc.env(), rc.cmd(), rc.entrypoint(), rc.workingDir(), rc.user(),
                    rc.labels(), rc.exposedPorts(), rc.volumes(), rc.stopSignal());
        }
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
        Instant now = Instant.now();
        for (int attempt = 0;; attempt++) {
            String nm = n != null ? n : Names.generate() + (attempt > 5 ? String.valueOf(attempt) : "");
            StoredConfig stored = new StoredConfig(id, nm, Times.rfc3339(now), img.id(), argv.getFirst(),
                    argv.subList(1, argv.size()), cfg, hc, req.networkingConfig());
            StateRecord st = StateRecord.created();
            try {
                Files.createDirectories(paths.upper(id));
                Files.createDirectories(paths.work(id));
                boolean ok = table.insert(new ContainerRow(id, nm, img.id(), Times.nanos(now),
                        Json.mapper().writeValueAsString(stored), Json.mapper().writeValueAsString(st), st.status()));
                if (!ok) {
                    if (n != null) {
                        AtomicFiles.deleteTree(paths.dir(id));
                        String other = byName(n).map(c -> c.id).orElse("");
                        throw new ConflictException("Conflict. The container name \"/" + n
                                + "\" is already in use by container \"" + other
                                + "\". You have to remove (or rename) that container to be able to reuse that name.");
                    }
                    continue;
                }
            } catch (IOException e) {
                throw new InternalException("cannot create container: " + e.getMessage(), e);
            }
            Container c = new Container(stored, st);
            byId.put(id, c);
            publish(c, "create", Map.of());
            return new CreateResponse(id, List.of());
        }
    }

    private static void validateHostConfig(HostConfig hc) {
        String nm = hc.networkMode() == null ? "" : hc.networkMode();
        if (!(nm.isEmpty() || nm.equals("default") || nm.equals("bridge") || nm.equals("none")
                || nm.equals("host"))) {
            throw new NotFoundException("network " + nm + " not found");
        }
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
        if (!await(exit, 30_000)) {
            throw new InternalException("container " + c.id + " did not exit after SIGKILL");
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
        if (!c.state.running()) {
            throw new ConflictException("Container " + c.id + " is not running");
        }
        CompletableFuture<Integer> exit = c.nextExit();
        publish(c, "kill", Map.of("signal", String.valueOf(sig)));
        runtime.kill(c.id, sig, sig == 9);
        if (sig == 9) {
            await(exit, 5_000);
        }
    }

    public void restart(String idOrName, Integer timeoutSeconds, String signal) {
        Container c = find(idOrName);
        if (c.state.running()) {
            int sig = Signals.parse(signal, Signals.parse(c.cfg.config().stopSignal(), 15));
            int t = timeoutSeconds != null ? timeoutSeconds
                    : c.cfg.config().stopTimeout() != null ? c.cfg.config().stopTimeout() : 10;
            stopAndWait(c, sig, t);
        }
        c.lock.lock();
        try {
            if (!c.state.running()) {
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
            deleteExitFile(id);
            return;
        }
        boolean autoRemove;
        c.lock.lock();
        try {
            if (!c.state.running()) {
                deleteExitFile(id);
                return;
            }
            starter.cleanup(c.id);
            boolean oom = Files.exists(paths.bundle(id).resolve("oom"));
            setState(c, c.state.exited(code, Times.rfc3339(Instant.now()), oom));
            deleteExitFile(id);
            publish(c, "die", Map.of("exitCode", String.valueOf(code)));
            c.exited(code);
            autoRemove = c.cfg.hostConfig().autoRemove();
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

    // ---- remove ----

    public void remove(String idOrName, boolean force, boolean volumes) {
        Container c = find(idOrName);
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
            finishRemove(c);
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
    private void finishRemove(Container c) {
        starter.cleanup(c.id);
        try {
            AtomicFiles.deleteTree(paths.bundle(c.id));
            AtomicFiles.deleteTree(paths.dir(c.id));
        } catch (IOException e) {
            throw new InternalException("cannot remove container files: " + e.getMessage(), e);
        }
        table.delete(c.id);
        byId.remove(c.id);
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

    /** Options of {@code /containers/{id}/attach}. */
    public record AttachOptions(boolean stream, boolean logs, boolean stdin, boolean stdout, boolean stderr) {
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
    public void attach(String idOrName, AttachOptions o, InputStream in, OutputStream out) throws IOException {
        Container c = find(idOrName);
        boolean tty = c.cfg.config().tty();
        if (o.logs()) {
            LogStreamer.replay(paths.log(c.id), new LogStreamer.Options(o.stdout(), o.stderr(), false, null, null,
                    -1, false), out, tty);
        }
        if (!o.stream()) {
            return;
        }
        boolean stdin = o.stdin() && c.cfg.config().openStdin();
        AttachSession s = new AttachSession(in, out, tty, stdin, o.stdout(), o.stderr(), c.cfg.config().stdinOnce());
        c.lock.lock();
        try {
            if (c.state.running()) {
                s.connect(runtime.attach(paths.socketDir(), c.id));
            } else if (c.state.status().equals("created") || c.state.status().equals("exited")) {
                c.addPendingAttach(s);
            } else {
                return;
            }
        } finally {
            c.lock.unlock();
        }
        try {
            s.run();
        } finally {
            c.removePendingAttach(s);
        }
        publish(c, "detach", Map.of());
    }

    /** {@code GET /containers/{id}/logs}. */
    public void logs(String idOrName, LogStreamer.Options o, OutputStream out) throws IOException {
        Container c = find(idOrName);
        boolean tty = c.cfg.config().tty();
        Supplier<Boolean> done = () -> !c.state.running();
        if (o.follow() && c.state.running()) {
            LogStreamer.follow(paths.log(c.id), o, out, tty, done);
        } else {
            LogStreamer.replay(paths.log(c.id), o, out, tty);
        }
    }

    // ---- list / inspect ----

    public ContainerInspect inspect(String idOrName, boolean size) {
        Container c = find(idOrName);
        return ContainerViews.inspect(c, paths, images.tagsOf(c.cfg.imageId()));
    }

    public List<ContainerSummary> list(boolean all, int limit, Filters filters) {
        filters.only(java.util.Set.of("id", "name", "label", "status", "ancestor", "before", "since", "exited",
                "network", "volume", "health", "publish", "expose", "isolation", "is-task"));
        List<Container> cs = byId.values().stream().filter(c -> !c.removed)
                .sorted(Comparator.comparing((Container c) -> Instant.parse(c.cfg.created())).reversed()
                        .thenComparing(c -> c.id)).toList();
        List<ContainerSummary> out = new ArrayList<>();
        for (Container c : cs) {
            if (!all && !c.state.running() && !filters.has("status") && !filters.has("exited")) {
                continue;
            }
            if (!ContainerViews.matches(c, filters, this::find, images)) {
                continue;
            }
            out.add(ContainerViews.summary(c));
            if (limit > 0 && out.size() >= limit) {
                break;
            }
        }
        return out;
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
        try {
            table.updateState(c.id, Json.mapper().writeValueAsString(st), st.status());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InternalException("cannot persist state: " + e.getMessage(), e);
        }
    }

    private void publish(Container c, String action, Map<String, String> extra) {
        Map<String, String> attrs = new LinkedHashMap<>();
        if (c.cfg.config().labels() != null) {
            attrs.putAll(c.cfg.config().labels());
        }
        attrs.put("image", c.cfg.config().image());
        attrs.put("name", c.name());
        attrs.putAll(extra);
        events.publish("container", action, c.id, attrs);
    }

    void forEach(Consumer<Container> action) {
        byId.values().forEach(action);
    }

    @Override
    public void close() {
        exitWatcher.close();
    }
}
