package dev.wharf.engine.container;

import dev.wharf.engine.event.EventService;
import dev.wharf.engine.image.ImageStoreFixture;
import dev.wharf.engine.network.NetworkService;
import dev.wharf.engine.volume.VolumeService;
import dev.wharf.runtime.FakeContainerRuntime;
import dev.wharf.store.db.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link EngineFixture} for the tests of other engine packages (exec, system, build): the real
 * container, volume, network and event services on SQLite in a temporary directory, over the fake
 * runtime, mounter, network driver and clock. No root, no processes.
 */
public final class TestEngine implements AutoCloseable {

    /** The image every container of this engine is made from (busybox's stand-in). */
    public static final String IMAGE_ID = EngineFixture.IMAGE_ID;

    private final EngineFixture f;

    public TestEngine(Path dir) throws IOException {
        this.f = new EngineFixture(dir);
    }

    private TestEngine(EngineFixture f) {
        this.f = f;
    }

    /** An engine whose containers are made from the images of a real image service (see {@link #imageStore}). */
    public static TestEngine withRealImages(Path dir) throws IOException {
        return new TestEngine(new EngineFixture(dir, true));
    }

    /** The real image service and stores of {@link #withRealImages}; null otherwise. */
    public ImageStoreFixture imageStore() {
        return f.imageStore;
    }

    public ContainerService containers() {
        return f.containers;
    }

    public EventService events() {
        return f.events;
    }

    public VolumeService volumes() {
        return f.volumes;
    }

    public NetworkService networks() {
        return f.networks;
    }

    public FakeContainerRuntime runtime() {
        return f.runtime;
    }

    public Database db() {
        return f.db();
    }

    /** The exec root (conmon sockets, bundles) the container service uses. */
    public Path execRoot() {
        return f.dir.resolve("exec");
    }

    /** Creates a container from a JSON create body (single quotes for double ones); returns its ID. */
    public String create(String name, String json) {
        return f.containers.create(name, Requests.create(json)).id();
    }

    /** Creates and starts a container of busybox running {@code sh}; returns its ID. */
    public String run(String name) {
        String id = create(name, "{'Image':'busybox','Cmd':['sh']}");
        f.containers.start(id);
        return id;
    }

    /** The {@code type:action} of the events published since the last call, in order. */
    public List<String> actions() throws InterruptedException {
        return f.actions();
    }

    @Override
    public void close() {
        f.close();
    }
}
