package dev.wharf.engine.image;

import dev.wharf.engine.event.EventService;
import dev.wharf.model.event.EventMessage;
import dev.wharf.registry.RegistryClient;
import dev.wharf.registry.RegistryOptions;
import dev.wharf.store.content.BlobStore;
import dev.wharf.store.db.Database;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.ContainerTable;
import dev.wharf.store.table.EventTable;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.RegistryTable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real image service as {@code daemon.Wiring} builds it: SQLite, blob store and layer store
 * under one temporary directory, the event service, and a registry client with the default
 * options (no registry is contacted unless a test pulls or pushes). As an ordinary user the
 * layer store keeps files with the current owner. Other packages' tests (system, build) use it too.
 */
public final class ImageStoreFixture implements AutoCloseable {

    public final Path dir;
    public final Database db;
    public final BlobStore blobs;
    public final LayerStore layers;
    public final ImageTable imageTable;
    public final ContainerTable containerTable;
    public final EventService eventService;
    public final ImageService images;
    private final EventService.Subscription subscription;

    public ImageStoreFixture(Path dir) throws IOException {
        this(dir, new Database(dir.resolve("wharf.db")));
    }

    /** The image service on an existing database (one the container service also uses). */
    public ImageStoreFixture(Path dir, Database db) throws IOException {
        this(dir, db, new EventService(new EventTable(db)));
    }

    public ImageStoreFixture(Path dir, Database db, EventService events) throws IOException {
        this.dir = dir;
        this.db = db;
        this.blobs = new BlobStore(dir);
        this.layers = new LayerStore(dir, db);
        this.imageTable = new ImageTable(db);
        this.containerTable = new ContainerTable(db);
        this.eventService = events;
        this.subscription = events.subscribe();
        this.images = new ImageService(imageTable, containerTable, blobs, layers, events, new RegistryTable(db),
                new RegistryClient(RegistryOptions.defaults(), Map.of(), Clock.systemUTC()));
    }

    /** Records a container of {@code imageId} in {@code status} as the container service would. */
    public void container(String id, String imageId, String status) {
        containerTable.insert(new ContainerTable.ContainerRow(id, "/c-" + id.substring(0, 12), imageId, 0, "{}", "{}",
                status));
    }

    /** The image events published since the last call: {@code action id [name]}. */
    public List<String> events() throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (EventMessage m = subscription.next(0); m != null; m = subscription.next(0)) {
            if (!m.type().equals("image")) {
                continue;
            }
            String name = m.actor().attributes() == null ? null : m.actor().attributes().get("name");
            out.add(m.action() + " " + m.actor().id() + (name == null ? "" : " " + name));
        }
        return out;
    }

    @Override
    public void close() {
        images.close();
        subscription.close();
        db.close();
    }
}
