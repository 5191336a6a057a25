package dev.wharf.engine.build;

import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.base.id.Digest;
import dev.wharf.base.ref.ImageRef;
import dev.wharf.builder.dispatch.BuildBackend;
import dev.wharf.builder.dispatch.BuildOutput;
import dev.wharf.builder.dispatch.ImageState;
import dev.wharf.builder.dispatch.StepFailedException;
import dev.wharf.engine.container.ContainerFiles;
import dev.wharf.engine.container.ContainerService;
import dev.wharf.engine.image.ImageService;
import dev.wharf.engine.image.ProgressListener;
import dev.wharf.model.common.ProgressMessage;
import dev.wharf.oci.image.ImageConfig;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.BuildCacheTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One build's {@link BuildBackend}: its context, options, temporary files and image views. */
final class Session implements BuildBackend, AutoCloseable {

    /** The engine parts a build uses. */
    record Deps(ImageService images, StepImages steps, LayerStore layers, BuildCacheTable cache,
            ContainerService containers, ContainerFiles files, BaseImageResolver resolver, CacheMounts cacheMounts,
            Path secretsRoot) {
    }

    private final Deps deps;
    private final BuildOptions options;
    private final ContextDir context;
    private final Path tmp;
    private final Path secrets;
    private final Map<String, Scratchpad> views = new HashMap<>();
    private final FileStep files = new FileStep(this);
    private final RunStep runs = new RunStep(this);
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    Session(Deps deps, BuildOptions options, ContextDir context, Path tmp) throws IOException {
        this.deps = deps;
        this.options = options;
        this.context = context;
        this.tmp = Files.createDirectories(tmp);
        this.secrets = deps.secretsRoot().resolve(tmp.getFileName().toString());
    }

    Deps deps() {
        return deps;
    }

    BuildOptions options() {
        return options;
    }

    ContextDir context() {
        return context;
    }

    Path tmp() {
        return tmp;
    }

    LayerStore layers() {
        return deps.layers();
    }

    /** The layers of an image the builder names by its ID text; none for null (scratch). */
    List<String> chains(String imageId) {
        return deps.steps().chains(imageId(imageId));
    }

    /** An image ID as the builder passes it, typed; null (scratch) stays null. */
    private static Digest imageId(String id) {
        return id == null ? null : Digest.parse(id);
    }

    List<Path> lowers(String imageId) {
        return deps.layers().lowerDirs(chains(imageId));
    }

    /** A read-only look at an image's files, mounted once per build. */
    synchronized Scratchpad view(String imageId) throws IOException {
        Scratchpad v = views.get(imageId);
        if (v == null) {
            v = Scratchpad.open(tmp, deps.layers(), "scratch".equals(imageId) ? List.of() : chains(imageId));
            views.put(imageId, v);
        }
        return v;
    }

    /** A secret's value as a file outside the context and the image, for a bind mount. */
    synchronized Path secretFile(String id, byte[] value, int mode, String uid, String gid) throws IOException {
        Files.createDirectories(secrets);
        Path f = Files.createTempFile(secrets, "secret-", "");
        Files.write(f, value);
        Files.setPosixFilePermissions(f, ContextDir.perms(mode));
        Files.setAttribute(f, "unix:uid", uid == null ? 0 : Integer.parseInt(uid));
        Files.setAttribute(f, "unix:gid", gid == null ? 0 : Integer.parseInt(gid));
        return f;
    }

    /**
     * Stops the build, as Docker does when its client goes away: no further step starts, and the
     * RUN steps in flight are killed (their containers are then removed as a failed step's are).
     */
    void cancel() {
        cancelled = true;
        for (String id : running) {
            killQuietly(id);
        }
    }

    /** Throws when the build has been cancelled: the one check before each step's work. */
    void checkNotCancelled() {
        if (cancelled) {
            throw new StepFailedException("the build was cancelled", 0);
        }
    }

    /** A RUN step's container is running; killed at once when the build is (or gets) cancelled. */
    void runStarted(String containerId) {
        running.add(containerId);
        if (cancelled) {
            killQuietly(containerId);
        }
    }

    void runEnded(String containerId) {
        running.remove(containerId);
    }

    private void killQuietly(String containerId) {
        try {
            deps.containers().kill(containerId, "KILL");
        } catch (RuntimeException e) {
            // not running (yet, or any more): the step's own checks stop it
        }
    }

    // ---- BuildBackend ----

    @Override
    public ImageState resolveImage(String ref, String platform, boolean pull, BuildOutput out) {
        checkNotCancelled();
        ImageService.Resolved r = deps.resolver().resolve(ref, platform, pull, options.auth(), new ProgressListener() {
            @Override
            public void progress(ProgressMessage m) {
                if (m.status() != null) {
                    out.pullProgress(m.status(), m.id(), m.progressDetail(), m.progress());
                }
            }

            @Override
            public boolean cancelled() {
                return cancelled; // a FROM's pull stops with the build
            }
        });
        ImageConfig cfg = r.config();
        String os = cfg.os() == null ? "linux" : cfg.os();
        String arch = cfg.architecture() == null ? "amd64" : cfg.architecture();
        if (platform != null && !platform.isEmpty()) {
            String[] p = platform.split("/");
            if (!p[0].equals(os) || p.length > 1 && !p[1].equals(arch)) {
                throw new InvalidArgumentException("image with reference " + ref
                        + " was found but does not match the specified platform: wanted " + platform + ", actual: "
                        + os + "/" + arch);
            }
        }
        return state(r.id().toString(), cfg);
    }

    private static ImageState state(String id, ImageConfig cfg) {
        ImageConfig.RunConfig rc = cfg.config() == null ? ImageConfig.RunConfig.empty() : cfg.config();
        return new ImageState(id, rc, cfg.author(), cfg.os() == null ? "linux" : cfg.os(),
                cfg.architecture() == null ? "amd64" : cfg.architecture());
    }

    @Override
    public ImageState image(String id) {
        return state(id, deps.images().config(Digest.parse(id)));
    }

    @Override
    public Optional<String> cached(String key) {
        return deps.cache().get(key).map(Digest::toString);
    }

    @Override
    public void remember(String key, String imageId) {
        deps.cache().put(key, Digest.parse(imageId), Instant.now().getEpochSecond());
    }

    @Override
    public boolean isAncestor(String ancestor, String imageId) {
        return deps.steps().isAncestor(imageId(ancestor), imageId(imageId));
    }

    @Override
    public Sources sources(SourceRequest request) {
        return io(() -> files.sources(request));
    }

    @Override
    public Layer run(RunSpec spec, BuildOutput out) {
        checkNotCancelled();
        return io(() -> runs.run(spec, out));
    }

    @Override
    public Layer copy(CopySpec spec) {
        checkNotCancelled();
        return io(() -> files.copy(spec));
    }

    @Override
    public Layer mkdir(String parentId, String path) {
        checkNotCancelled();
        return io(() -> files.mkdir(parentId, path));
    }

    @Override
    public String commit(String parentId, ImageState state, String createdBy, Layer layer) {
        checkNotCancelled();
        return io(() -> deps.steps().commit(imageId(parentId), state, createdBy,
                (StagedLayer) layer).toString());
    }

    @Override
    public void tag(String imageId, List<String> tags) {
        for (String t : tags) {
            ImageRef ref = ImageRef.parse(t);
            deps.images().tag(imageId, ref.repository(), ref.tag()); // by its full ID
        }
    }

    private interface IoWork<T> {
        T run() throws IOException;
    }

    private static <T> T io(IoWork<T> w) {
        try {
            return w.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        List<Throwable> errors = new ArrayList<>();
        synchronized (this) {
            for (Scratchpad v : views.values()) {
                try {
                    v.close();
                } catch (IOException e) {
                    errors.add(e);
                }
            }
            views.clear();
        }
        try {
            AtomicFiles.deleteTree(secrets);
            AtomicFiles.deleteTree(tmp);
        } catch (IOException e) {
            errors.add(e);
        }
        if (!errors.isEmpty()) {
            throw new InternalException("cannot clean up after the build: " + errors.getFirst().getMessage());
        }
    }
}
