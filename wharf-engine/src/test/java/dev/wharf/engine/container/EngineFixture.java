package dev.wharf.engine.container;

import dev.wharf.base.id.Digest;
import dev.wharf.base.time.FakeClock;
import dev.wharf.engine.event.EventService;
import dev.wharf.engine.image.ImageService;
import dev.wharf.engine.image.ImageStoreFixture;
import dev.wharf.engine.network.NetworkService;
import dev.wharf.engine.network.TestNetworks;
import dev.wharf.engine.volume.VolumeService;
import dev.wharf.model.event.EventMessage;
import dev.wharf.oci.image.ImageConfig;
import dev.wharf.runtime.FakeContainerRuntime;
import dev.wharf.runtime.network.FakeNetworkDriver;
import dev.wharf.runtime.sys.FakeMounter;
import dev.wharf.store.db.Database;
import dev.wharf.store.table.ContainerTable;
import dev.wharf.store.table.EventTable;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.NetworkTable;
import dev.wharf.store.table.VolumeTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A container service with its real registry, state machine, database (SQLite in a temporary
 * directory), volumes and networks, over the fake runtime, mounter, network driver and clock: no
 * root, no processes. {@link #restart()} builds a new service on the same database and
 * directories, as a daemon restarted after a crash finds them.
 */
final class EngineFixture implements AutoCloseable {

    static final String IMAGE_ID = "sha256:" + "1".repeat(64);

    final Path dir;
    final FakeContainerRuntime runtime = new FakeContainerRuntime();
    final FakeNetworkDriver driver = new FakeNetworkDriver();
    final FakeMounter mounter = new FakeMounter();
    final FakeClock clock = new FakeClock();
    final Map<String, ImageService.Resolved> images = new LinkedHashMap<>();
    private final Database db;
    final EventService events;
    final VolumeService volumes;
    NetworkService networks;
    ContainerService containers;
    private EventService.Subscription subscription;
    /** The real image service containers are made from, or null: the fake images of {@link #image}. */
    final ImageStoreFixture imageStore;

    EngineFixture(Path dir) throws IOException {
        this(dir, false);
    }

    /**
     * With {@code realImages}, containers come from the images of a real image service on the same
     * database, blob and layer stores (for disk usage and builds); else from {@link #image}'s fakes.
     */
    EngineFixture(Path dir, boolean realImages) throws IOException {
        this.dir = dir;
        this.db = new Database(dir.resolve("wharf.db"));
        this.events = new EventService(new EventTable(db));
        this.volumes = new VolumeService(new VolumeTable(db), events, dir.resolve("data"), mounter);
        this.imageStore = realImages ? new ImageStoreFixture(dir, db, events) : null;
        if (!realImages) {
            new ImageTable(db).put(new ImageTable.ImageRow(Digest.parse(IMAGE_ID), 0, 0, null, List.of(), List.of()), null, 0);
            image("busybox", new ImageConfig.RunConfig(null, null, List.of("HOME=/root"), null, List.of("sh"), null,
                    null, Map.of("from", "image"), null, null, null, null));
        }
        startServices();
    }

    /** Makes an image the fake image store resolves by {@code name} (and by its ID). */
    void image(String name, ImageConfig.RunConfig run) {
        ImageConfig cfg = new ImageConfig("amd64", null, null, run, null, List.of(), "linux", null);
        ImageService.Resolved r = new ImageService.Resolved(Digest.parse(IMAGE_ID), cfg, List.of());
        images.put(name, r);
        images.put(IMAGE_ID, r);
    }

    private void startServices() throws IOException {
        this.networks = TestNetworks.create(new NetworkTable(db), events, driver, dir, clock);
        ContainerImages fakeImages = new ContainerImages() {
            @Override
            public ImageService.Resolved resolve(String nameOrId) {
                ImageService.Resolved r = images.get(nameOrId);
                if (r == null) {
                    throw new dev.wharf.base.error.NotFoundException("No such image: " + nameOrId);
                }
                return r;
            }

            @Override
            public List<String> tagsOf(String imageId) {
                return images.entrySet().stream().filter(e -> e.getValue().id().toString().equals(imageId)
                        && !e.getKey().equals(imageId)).map(e -> e.getKey() + ":latest").toList();
            }

            @Override
            public Set<String> withChildren(String nameOrId) {
                ImageService.Resolved r = images.get(nameOrId);
                return r == null ? Set.of() : Set.of(r.id().toString());
            }

            @Override
            public List<Path> lowerDirs(List<String> chainIds) {
                return List.of();
            }
        };
        this.containers = imageStore == null
                ? new ContainerService(new ContainerTable(db), fakeImages, null, null, events, runtime, mounter, clock,
                        volumes, new ContainerPaths(dir.resolve("data"), dir.resolve("exec")), networks)
                : new ContainerService(new ContainerTable(db), ContainerImages.of(imageStore.images, imageStore.layers),
                        imageStore.images, imageStore.layers, events, runtime, mounter, clock, volumes,
                        new ContainerPaths(dir.resolve("data"), dir.resolve("exec")), networks);
        this.subscription = events.subscribe();
        containers.reconcile();
    }

    /** Stops the services as a crash leaves things: nothing torn down, nothing watched. */
    void crash() {
        containers.close();
        networks.close();
        subscription.close();
    }

    /** A daemon's start on the same database and directories: new services, then the reconciler. */
    void start() throws IOException {
        startServices();
    }

    /** {@link #crash()}, then {@link #start()}. */
    void restart() throws IOException {
        crash();
        start();
    }

    ContainerPaths paths() {
        return new ContainerPaths(dir.resolve("data"), dir.resolve("exec"));
    }

    Database db() {
        return db;
    }

    /** The container events published since the last call ({@code action}s, in order). */
    List<String> actions() throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (EventMessage m = subscription.next(0); m != null; m = subscription.next(0)) {
            out.add(m.type() + ":" + m.action());
        }
        return out;
    }

    @Override
    public void close() {
        containers.close();
        networks.close();
        subscription.close();
        if (imageStore != null) {
            imageStore.images.close();
        }
        db.close();
    }
}
