package dev.wharf.engine.container;

import dev.wharf.base.id.ContainerId;
import dev.wharf.base.time.Clock;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.event.EventService;
import dev.wharf.engine.image.ImageService;
import dev.wharf.engine.network.EndpointSettings;
import dev.wharf.engine.network.NetworkService;
import dev.wharf.engine.volume.VolumeService;
import dev.wharf.model.container.ContainerCreateRequest;
import dev.wharf.model.container.ContainerInspect;
import dev.wharf.model.container.ContainerSummary;
import dev.wharf.model.container.ContainerUpdateRequest;
import dev.wharf.model.container.CreateResponse;
import dev.wharf.model.container.Health;
import dev.wharf.model.container.WaitResponse;
import dev.wharf.runtime.ContainerRuntime;
import dev.wharf.runtime.ExitWatcher;
import dev.wharf.runtime.sys.Mounter;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.ContainerTable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Containers: the one entry point of this package for routes, the builder, exec and health. It
 * builds the parts and hands each call to the part that owns it:
 * <ul>
 * <li>{@link ContainerRegistry}: the containers in memory and their rows, lookup, events;
 * <li>{@link ContainerCreator}: create; {@link Lifecycle}: start, stop, kill, restart, pause;
 * <li>{@link ContainerStarter} and {@link Launcher}: what a start does and records;
 * {@link Stopper}: signals and waiting for exits;
 * <li>{@link ExitHandler}: exits; {@link Reconciler}: the state after a daemon restart or crash;
 * <li>{@link RestartScheduler} and {@link RestartPolicy}: restart policies and their back-off;
 * <li>{@link ContainerRemover}: remove; {@link ContainerStreams}: attach, logs, wait;
 * <li>{@link ContainerQueries}: inspect, list, top; {@link Renamer}, {@link Updater},
 * {@link LinkRemover}, {@link ContainerNetworking}: the other changes.
 * </ul>
 * Public methods find the container and take its lock where they change it.
 */
public final class ContainerService implements AutoCloseable {

    private final ContainerRegistry registry;
    private final RestartScheduler scheduler;
    private final LogRotator logRotator = new LogRotator();
    private final StatsCollector statsCollector = new StatsCollector();
    private final ExitWatcher exitWatcher;
    private final ContainerCreator creator;
    private final Lifecycle lifecycle;
    private final ContainerRemover remover;
    private final Reconciler reconciler;
    private final ContainerStreams streams;
    private final ContainerQueries queries;
    private final ContainerNetworking networking;
    private final Renamer renamer;
    private final Updater updater;
    private final LinkRemover links;
    private final ContainerFiles files;

    public ContainerService(ContainerTable table, ImageService images, LayerStore layers, EventService events,
            ContainerRuntime runtime, VolumeService volumes, Path dataRoot, Path execRoot, NetworkService networks)
            throws IOException {
        this(table, ContainerImages.of(images, layers), images, layers, events, runtime, Mounter.host(),
                Clock.system(), volumes, new ContainerPaths(dataRoot, execRoot), networks);
    }

    ContainerService(ContainerTable table, ContainerImages containerImages, ImageService images, LayerStore layers,
            EventService events, ContainerRuntime runtime, Mounter mounter, Clock clock, VolumeService volumes,
            ContainerPaths paths, NetworkService networks) throws IOException {
        Files.createDirectories(paths.exitDir());
        Files.createDirectories(paths.socketDir());
        Files.createDirectories(paths.dataRoot().resolve("containers"));
        Files.createDirectories(paths.execRoot().resolve("containers"));
        this.registry = new ContainerRegistry(table, events, paths, logRotator, clock);
        registry.load();
        ContainerStarter starter = new ContainerStarter(runtime, containerImages, mounter, paths, volumes, networks,
                registry::find);
        this.scheduler = new RestartScheduler(registry, clock);
        Stopper stopper = new Stopper(registry, runtime);
        this.remover = new ContainerRemover(registry, scheduler, stopper, starter, networks, volumes);
        Launcher launcher = new Launcher(registry, starter, remover);
        RestartPolicy restarts = new RestartPolicy(registry, scheduler, launcher);
        ExitHandler exits = new ExitHandler(registry, starter, restarts, remover);
        this.exitWatcher = new ExitWatcher(paths.exitDir(), exits::onExit);
        this.reconciler = new Reconciler(registry, starter, runtime, exits, restarts, remover);
        this.creator = new ContainerCreator(registry, containerImages, networks, volumes);
        this.lifecycle = new Lifecycle(registry, launcher, stopper, scheduler, runtime);
        this.streams = new ContainerStreams(registry, runtime);
        this.queries = new ContainerQueries(registry, containerImages, networks, runtime);
        this.networking = new ContainerNetworking(registry, networks);
        this.renamer = new Renamer(registry, networks);
        this.updater = new Updater(registry, runtime);
        this.links = new LinkRemover(registry);
        this.files = new ContainerFiles(registry, lifecycle, remover, queries, volumes, images, layers, mounter);
    }

    /**
     * Brings memory in line with what is really there after a restart or crash, then starts
     * watching exits; see {@link Reconciler}.
     */
    public void reconcile() {
        reconciler.reconcile(exitWatcher);
    }

    /** A container's files: archive, export, diff, commit, prune and sizes. */
    public ContainerFiles files() {
        return files;
    }

    // ---- create, lifecycle, remove ----

    public CreateResponse create(String name, ContainerCreateRequest req) {
        return creator.create(name, req);
    }

    public void start(String idOrName) {
        lifecycle.start(idOrName);
    }

    public void stop(String idOrName, Integer timeoutSeconds, String signal) {
        lifecycle.stop(idOrName, timeoutSeconds, signal);
    }

    public void kill(String idOrName, String signal) {
        lifecycle.kill(idOrName, signal);
    }

    public void restart(String idOrName, Integer timeoutSeconds, String signal) {
        lifecycle.restart(idOrName, timeoutSeconds, signal);
    }

    /** Freezes every process of the container (cgroup freezer). */
    public void pause(String idOrName) {
        lifecycle.pause(idOrName);
    }

    public void unpause(String idOrName) {
        lifecycle.unpause(idOrName);
    }

    public void resize(String idOrName, int height, int width) {
        lifecycle.resize(idOrName, height, width);
    }

    public void remove(String idOrName, boolean force, boolean volumes) {
        remover.remove(idOrName, force, volumes);
    }

    // ---- streams ----

    /**
     * Registers a wait now, so that a wait opened before start sees the exit; the future completes
     * when the condition ({@code not-running}, {@code next-exit}, {@code removed}) holds.
     */
    public CompletableFuture<WaitResponse> waitFor(String idOrName, String condition) {
        return streams.waitFor(idOrName, condition);
    }

    /** Whether the container has a TTY, which decides raw or multiplexed streams. */
    public boolean tty(String idOrName) {
        return registry.find(idOrName).cfg.config().tty();
    }

    /** Fails before the upgrade if the container cannot be attached to; its full ID. */
    public String checkAttachable(String idOrName) {
        return registry.find(idOrName).id.value();
    }

    /** Streams the container's output to the client (and the client's stdin to it) until it ends. */
    public void attach(String idOrName, AttachOptions o, AttachOptions.Opener opener) throws IOException {
        streams.attach(idOrName, o, opener);
    }

    /** Fails before the response starts when {@code docker logs} cannot be served. */
    public void checkLogs(String idOrName) {
        streams.checkLogs(idOrName);
    }

    /** {@code GET /containers/{id}/logs}. */
    public void logs(String idOrName, LogStreamer.Options o, OutputStream out,
            java.util.concurrent.CompletableFuture<?> clientGone) throws IOException {
        streams.logs(idOrName, o, out, clientGone);
    }

    // ---- queries ----

    public ContainerInspect inspect(String idOrName, boolean size) {
        return queries.inspect(idOrName);
    }

    public List<ContainerSummary> list(boolean all, int limit, Filters filters) {
        return queries.list(all, limit, filters);
    }

    public Map<String, Integer> counts() {
        return queries.counts();
    }

    /** {@code docker top}: the container's processes as the host's ps shows them. */
    public Map<String, Object> top(String idOrName, String psArgs) {
        return queries.top(idOrName, psArgs);
    }

    /** A sampler of the container's cgroup and network counters, for {@code /stats}. */
    public Stats stats(String idOrName) {
        return new Stats(registry.find(idOrName));
    }

    /** Streamed stats: readings shared with the container's other streams, one a second. */
    public StatsCollector.Stream statsStream(String idOrName) {
        return statsCollector.subscribe(registry.find(idOrName));
    }

    /** The container an exec runs in; 404 when there is none. */
    public ExecTarget execTarget(String idOrName) {
        return queries.execTarget(idOrName);
    }

    // ---- health ----

    /**
     * Sets State.Health as inspect shows it (null: no healthcheck) and persists it, so a restarted
     * daemon shows it and resumes from it; for the health monitor.
     */
    public void setHealth(ContainerId id, Health health) {
        registry.setHealth(id, health);
    }

    /** The container's State.Health as last set (persisted across restarts); null if none. */
    public Health health(ContainerId id) {
        return queries.health(id);
    }

    /** When the container's current run started (State.StartedAt); for the health monitor's start period. */
    public Instant startedAt(ContainerId id) {
        return queries.startedAt(id);
    }

    // ---- other changes ----

    /** {@code POST /containers/{id}/rename}: 400 empty, invalid or same name; 409 taken. */
    public void rename(String idOrName, String newName) {
        renamer.rename(idOrName, newName);
    }

    /** {@code POST /containers/{id}/update}: restart policy and resources; {@code {"Warnings":null}}. */
    public Map<String, Object> update(String idOrName, ContainerUpdateRequest body) {
        return updater.update(idOrName, body);
    }

    /** {@code DELETE /containers/parent/alias?link=1}: removes the legacy link {@code alias} of {@code parent}. */
    public void removeLink(String linkName) {
        links.remove(linkName);
    }

    /** {@code POST /networks/{id}/connect}: leases an address, and sets it up if the container runs. */
    public void connectNetwork(String network, String idOrName, EndpointSettings endpointConfig) {
        networking.connect(network, idOrName, endpointConfig);
    }

    /** {@code POST /networks/{id}/disconnect}. */
    public void disconnectNetwork(String network, String idOrName) {
        networking.disconnect(network, idOrName);
    }

    @Override
    public void close() {
        scheduler.close();
        exitWatcher.close();
        logRotator.close();
    }
}
