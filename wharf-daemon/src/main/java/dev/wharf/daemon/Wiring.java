package dev.wharf.daemon;

import dev.wharf.daemon.http.HttpServer;
import dev.wharf.daemon.http.Router;
import dev.wharf.daemon.http.ServerInfo;
import dev.wharf.daemon.route.ContainerControlRoutes;
import dev.wharf.daemon.route.ContainerRoutes;
import dev.wharf.daemon.route.EventRoutes;
import dev.wharf.daemon.route.ExecRoutes;
import dev.wharf.daemon.route.ImageRoutes;
import dev.wharf.daemon.route.NetworkRoutes;
import dev.wharf.daemon.route.SystemRoutes;
import dev.wharf.daemon.route.VolumeRoutes;
import dev.wharf.engine.container.ContainerService;
import dev.wharf.engine.event.EventService;
import dev.wharf.engine.exec.ExecService;
import dev.wharf.engine.image.ImageService;
import dev.wharf.engine.network.NetworkService;
import dev.wharf.engine.system.SystemService;
import dev.wharf.engine.volume.VolumeService;
import dev.wharf.model.Json;
import dev.wharf.runtime.OciRuntime;
import dev.wharf.runtime.RuntimeConfig;
import dev.wharf.store.content.BlobStore;
import dev.wharf.store.db.Database;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.ContainerTable;
import dev.wharf.store.table.EventTable;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.NetworkTable;
import dev.wharf.store.table.VolumeTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;

/** The one place where the daemon's objects are built, started in order and closed in reverse. */
final class Wiring implements AutoCloseable {

    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final HttpServer server;

    Wiring(Wharfd.Options o) throws IOException {
        Files.createDirectories(o.dataRoot());
        Files.createDirectories(o.execRoot());
        Database db = own(new Database(o.dataRoot().resolve("wharf.db")));
        BlobStore blobs = new BlobStore(o.dataRoot());
        blobs.cleanup();
        LayerStore layers = new LayerStore(o.dataRoot(), db);
        layers.cleanup();
        ContainerTable containerTable = new ContainerTable(db);
        EventTable eventTable = new EventTable(db);
        eventTable.trim();
        EventService events = new EventService(eventTable);
        ImageService images = own(new ImageService(new ImageTable(db), containerTable, blobs, layers, events,
                new dev.wharf.store.table.RegistryTable(db), new dev.wharf.registry.RegistryClient(o.registry(),
                        System.getenv(), java.time.Clock.systemUTC())));
        OciRuntime runtime = new OciRuntime(new RuntimeConfig(o.runc(), o.conmon(), o.execRoot().resolve("runc")));
        VolumeService volumes = new VolumeService(new VolumeTable(db), events, o.dataRoot());
        NetworkService networks = own(new NetworkService(new NetworkTable(db), events, networkOptions(o)));
        ContainerService containers = own(new ContainerService(containerTable, images, layers, events, runtime,
                volumes, o.dataRoot(), o.execRoot(), networks));
        containers.reconcile();
        ExecService execs = new ExecService(containers, events, runtime, o.execRoot());
        own(new dev.wharf.engine.exec.HealthMonitor(containers, execs, events));
        SystemService system = new SystemService(containers, images, o.dataRoot(), engineId(o.dataRoot()), events);

        Router router = new Router();
        new SystemRoutes(system).register(router);
        dev.wharf.engine.container.ContainerFiles containerFiles = containers.files();
        new ContainerRoutes(containers, containerFiles).register(router);
        new NetworkRoutes(networks, containers).register(router);
        new ImageRoutes(images).register(router);
        new EventRoutes(events).register(router);
        new dev.wharf.daemon.route.ContainerFileRoutes(containerFiles).register(router);
        new dev.wharf.daemon.route.DiskRoutes(new dev.wharf.engine.system.DiskUsageService(images, containerFiles,
                volumes::usage)).register(router);
        new VolumeRoutes(volumes, containers).register(router);
        new ExecRoutes(execs).register(router);
        new ContainerControlRoutes(containers).register(router);
        new dev.wharf.daemon.route.ContainerChangeRoutes(containers).register(router);
        dev.wharf.engine.build.BuildService builds = new dev.wharf.engine.build.BuildService(images,
                new ImageTable(db), blobs, layers, new dev.wharf.store.table.BuildCacheTable(db), containers,
                containerFiles, dev.wharf.engine.build.BaseImageResolver.pulling(images), o.dataRoot(), o.execRoot());
        builds.cleanup();
        new dev.wharf.daemon.route.BuildRoutes(builds).register(router);
        new dev.wharf.daemon.route.CliRoutes(o.hosts().stream().filter(h -> h.startsWith("unix://"))
                .collect(java.util.stream.Collectors.toSet())).register(router);
        server = own(new HttpServer(router, Json.mapper(), new ServerInfo(SystemService.ENGINE_VERSION)));
        for (String host : o.hosts()) {
            if (host.startsWith("unix://")) {
                Path sock = Path.of(host.substring(7));
                Files.createDirectories(sock.getParent());
                server.listenUnix(sock, 0660);
            } else if (host.startsWith("tcp://")) {
                String hp = host.substring(6);
                int colon = hp.lastIndexOf(':');
                server.listenTcp(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)));
            } else {
                throw new IllegalArgumentException("unsupported --host " + host + " (use unix:// or tcp://)");
            }
        }
    }

    /** The network flags: {@code --bridge}, {@code --bip}, {@code --default-address-pool base=CIDR,size=N}. */
    private static NetworkService.Options networkOptions(Wharfd.Options o) {
        String base = null;
        int size = 24;
        for (String kv : o.addressPool().split(",")) {
            int eq = kv.indexOf('=');
            String k = eq < 0 ? "" : kv.substring(0, eq).strip();
            String v = eq < 0 ? kv : kv.substring(eq + 1).strip();
            switch (k) {
                case "base" -> base = v;
                case "size" -> size = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("bad --default-address-pool: " + o.addressPool());
            }
        }
        if (base == null) {
            throw new IllegalArgumentException("bad --default-address-pool (no base=): " + o.addressPool());
        }
        return new NetworkService.Options(o.bridgeName(), o.bip(), base, size, o.execRoot(),
                Path.of("/usr/lib/podman/netavark"), Path.of("/usr/lib/podman/aardvark-dns"), o.dataRoot());
    }

    private <T extends AutoCloseable> T own(T c) {
        closeables.push(c);
        return c;
    }

    private static String engineId(Path dataRoot) throws IOException {
        Path f = dataRoot.resolve("engine-id");
        if (!Files.exists(f)) {
            dev.wharf.base.fs.AtomicFiles.write(f, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        }
        return Files.readString(f).strip();
    }

    @Override
    public void close() {
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception ignored) {
                // keep closing the rest
            }
        }
    }
}
