package dev.wharf.engine.build;

import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InternalException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.base.id.Digest;
import dev.wharf.builder.dispatch.BuildOutput;
import dev.wharf.builder.dispatch.BuildRequest;
import dev.wharf.builder.dispatch.Dispatcher;
import dev.wharf.builder.ignore.IgnoreMatcher;
import dev.wharf.builder.instruction.Instruction;
import dev.wharf.builder.instruction.InstructionParser;
import dev.wharf.builder.parse.Dockerfile;
import dev.wharf.builder.parse.DockerfileParser;
import dev.wharf.engine.container.ContainerFiles;
import dev.wharf.engine.container.ContainerService;
import dev.wharf.engine.image.ImageService;
import dev.wharf.store.content.BlobStore;
import dev.wharf.store.layer.LayerStore;
import dev.wharf.store.table.BuildCacheTable;
import dev.wharf.store.table.ImageTable;
import dev.wharf.store.table.ImageTable.ImageRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds images from a Dockerfile and a context ({@code POST /build}), implementing the
 * builder's {@code BuildBackend} with the image and container services. Step results are images
 * (each the parent of the next) and a cache table maps step keys to them, so the cache survives
 * restarts and {@code image prune}/{@code builder prune} clean it. Layout under the data root:
 * <pre>
 *   build/tmp-&lt;random&gt;/        one build's scratch space; removed when it ends (or at start)
 *   build/contexts/&lt;key&gt;/root      the context of the last build of one Dockerfile and tags, kept so a
 *   build/contexts/&lt;key&gt;/manifest.json   rebuild writes only changed files (removed at start)
 *   build/cache/&lt;sha256(id)&gt;/   RUN --mount=type=cache directories ({@link CacheMounts})
 *   (exec root) build/&lt;tmp name&gt;/  secrets of a running build, on the exec root's tmpfs
 * </pre>
 */
public final class BuildService {

    private final Session.Deps deps;
    private final ImageService images;
    private final Path buildRoot;
    private final ImageTable imageTable;

    /** What a build made: the image and the tags it got. */
    public record Result(Digest imageId, List<String> tags) {
    }

    /** {@code builder prune}: the cache entries (image IDs) removed and the bytes freed. */
    public record PruneResult(List<Digest> deleted, long reclaimed) {
    }

    public BuildService(ImageService images, ImageTable imageTable, BlobStore blobs, LayerStore layers,
            BuildCacheTable cache, ContainerService containers, ContainerFiles files, BaseImageResolver resolver,
            Path dataRoot, Path execRoot) throws IOException {
        this.buildRoot = dataRoot.resolve("build");
        this.images = images;
        this.imageTable = imageTable;
        Files.createDirectories(buildRoot);
        this.deps = new Session.Deps(images, new StepImages(images, imageTable, blobs, layers), layers, cache,
                containers, files, resolver, new CacheMounts(buildRoot.resolve("cache")), execRoot.resolve("build"));
    }

    /** Removes what builds that a crash cut short left behind. */
    public void cleanup() throws IOException {
        try (Stream<Path> s = Files.list(buildRoot)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().startsWith("tmp-")) {
                    unmountUnder(p);
                    AtomicFiles.deleteTree(p);
                }
            }
        }
        AtomicFiles.deleteTree(deps.secretsRoot());
        // kept contexts are a cache whose manifest was never fsynced: start without them
        AtomicFiles.deleteTree(buildRoot.resolve("contexts"));
    }

    private static void unmountUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir, 3)) {
            for (Path p : s.filter(x -> x.getFileName().toString().equals("root")).toList()) {
                dev.wharf.runtime.sys.Mounts.unmount(p);
            }
        }
    }

    /** A build whose context is on disk and whose Dockerfile parses; bad input fails here, before any output. */
    public interface Prepared extends AutoCloseable {
        Result run(BuildOutput out);

        /**
         * Stops the build from any thread (its client has gone away): no further step starts and
         * RUN steps in flight are killed; {@link #run} then fails. Before {@code run}, it fails at once.
         */
        void cancel();

        @Override
        void close();
    }

    public Prepared prepare(BuildOptions o, InputStream contextTar) throws IOException {
        ImageService.HeavyWork work = images.heavyWork();
        try {
            return prepare(o, contextTar, work);
        } catch (IOException | RuntimeException e) {
            work.close();
            throw e;
        }
    }

    private Prepared prepare(BuildOptions o, InputStream contextTar, ImageService.HeavyWork work) throws IOException {
        Path tmp = Files.createTempDirectory(buildRoot, "tmp-");
        ContextDir ctx;
        try {
            ctx = openContext(o, contextTar, tmp);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(tmp);
            if (e instanceof IOException io && !(e instanceof java.nio.file.FileSystemException)) {
                if (String.valueOf(io.getMessage()).contains("No space left on device")) {
                    throw new InternalException("cannot unpack the build context: no space left on device", io);
                }
                throw new InvalidArgumentException("invalid build context: " + io.getMessage(), io);
            }
            throw e;
        }
        try {
            String text = dockerfile(o, ctx);
            Dockerfile df = DockerfileParser.parse(text);
            checkStructure(new InstructionParser(df.escape()).parseAll(df.lines()), o.dockerfile());
            return new Prepared() {
                private final Object lock = new Object();
                private Session session;
                private boolean cancelled;

                @Override
                public Result run(BuildOutput out) {
                    try (Session s = new Session(deps, o, ctx, tmp.resolve("work"))) {
                        synchronized (lock) {
                            session = s;
                            if (cancelled) {
                                s.cancel();
                            }
                        }
                        BuildRequest req = new BuildRequest(text, o.tags(), o.buildArgs(), o.target(), o.labels(),
                                o.noCache(), o.pull(), o.cacheFrom(), o.platform());
                        Dispatcher.Result r = new Dispatcher(s).build(req, out);
                        return new Result(Digest.parse(r.imageId()), r.tags());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }

                @Override
                public void cancel() {
                    synchronized (lock) {
                        cancelled = true;
                        if (session != null) {
                            session.cancel();
                        }
                    }
                }

                @Override
                public void close() {
                    try (work) {
                        ctx.close();
                        AtomicFiles.deleteTree(tmp);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException | RuntimeException e) {
            ctx.close();
            AtomicFiles.deleteTree(tmp);
            throw e;
        }
    }

    /**
     * The context of a build: kept between builds of the same Dockerfile and tags
     * ({@code build/contexts/<key>/}, see {@link ContextDir#reuse}) so that a rebuild writes only
     * the files that changed; a fresh directory when another build holds that one.
     */
    private ContextDir openContext(BuildOptions o, InputStream body, Path tmp) throws IOException {
        // the docker CLI names a Dockerfile from outside the context .dockerfile.<random>: one key for all
        String df = o.dockerfile() == null ? "" : o.dockerfile().replaceFirst("^\\.dockerfile\\.[0-9a-f]+$", ".dockerfile.");
        String key = java.util.HexFormat.of().formatHex(dev.wharf.base.id.Digest.sha256().digest(
                (df + "\0" + String.join("\0", o.tags())).getBytes(StandardCharsets.UTF_8))).substring(0, 24);
        evictKeptContexts(key);
        java.util.concurrent.Semaphore busy = contextLocks.computeIfAbsent(key, k -> new java.util.concurrent.Semaphore(1));
        if (!busy.tryAcquire()) {
            return ContextDir.extract(body, tmp.resolve("context"), o.secretIds());
        }
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                busy.release();
            }
        };
        try {
            Path dir = Files.createDirectories(buildRoot.resolve("contexts").resolve(key));
            return ContextDir.reuse(body, dir, o.secretIds(), release);
        } catch (IOException | RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** Keeps at most {@link #KEPT_CONTEXTS} contexts, removing the least recently used ones not in use. */
    private void evictKeptContexts(String keep) throws IOException {
        Path dir = buildRoot.resolve("contexts");
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> kept;
        try (Stream<Path> s = Files.list(dir)) {
            kept = new ArrayList<>(s.filter(p -> !p.getFileName().toString().equals(keep)).toList());
        }
        if (kept.size() < KEPT_CONTEXTS) {
            return;
        }
        kept.sort(java.util.Comparator.comparingLong(BuildService::lastUse));
        for (Path p : kept.subList(0, kept.size() - KEPT_CONTEXTS + 1)) {
            java.util.concurrent.Semaphore busy = contextLocks.computeIfAbsent(p.getFileName().toString(),
                    k -> new java.util.concurrent.Semaphore(1));
            if (busy.tryAcquire()) {
                try {
                    AtomicFiles.deleteTree(p);
                } finally {
                    busy.release();
                }
            }
        }
    }

    private static long lastUse(Path keptDir) {
        try {
            return Files.getLastModifiedTime(keptDir.resolve("manifest.json")).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static final int KEPT_CONTEXTS = 8;

    private final java.util.Map<String, java.util.concurrent.Semaphore> contextLocks =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** What the dispatcher would refuse at once is refused here, before any output: no instruction, no FROM first. */
    private static void checkStructure(List<Instruction> all, String name) {
        if (all.isEmpty()) {
            throw new InvalidArgumentException("the Dockerfile (" + (name == null || name.isEmpty() ? "Dockerfile" : name)
                    + ") cannot be empty");
        }
        for (Instruction i : all) {
            if (i instanceof Instruction.From) {
                return;
            }
            if (!(i instanceof Instruction.Arg)) {
                throw new InvalidArgumentException("dockerfile parse error on line " + i.line().startLine()
                        + ": no build stage in current context");
            }
        }
        throw new InvalidArgumentException("no build stage in current context");
    }

    /** The Dockerfile's text; .dockerignore may drop it and itself from the context, as moby does. */
    private static String dockerfile(BuildOptions o, ContextDir ctx) throws IOException {
        String asked = o.dockerfile() == null || o.dockerfile().isEmpty() ? "Dockerfile" : o.dockerfile();
        String rel;
        try {
            rel = ContextDir.clean(asked.startsWith("/") ? asked.substring(1) : asked);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("Forbidden path outside the build context: " + asked + " ()");
        }
        Path f = ctx.root.resolve(rel);
        if (!Files.isRegularFile(f) && (o.dockerfile() == null || o.dockerfile().isEmpty()
                || o.dockerfile().equals("Dockerfile"))) {
            Path lower = ctx.root.resolve("dockerfile");
            if (Files.isRegularFile(lower)) {
                f = lower;
                rel = "dockerfile";
            }
        }
        if (!Files.isRegularFile(f)) {
            throw new InvalidArgumentException("Cannot locate specified Dockerfile: " + asked);
        }
        String text = Files.readString(f, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new InvalidArgumentException("the Dockerfile (" + asked + ") cannot be empty");
        }
        Path ignore = ctx.root.resolve(".dockerignore");
        if (Files.isRegularFile(ignore)) {
            IgnoreMatcher m = IgnoreMatcher.parse(Files.readString(ignore, StandardCharsets.UTF_8));
            if (m.matches(rel)) {
                ctx.remove(rel);
            }
            if (m.matches(".dockerignore")) {
                ctx.remove(".dockerignore");
            }
        }
        return text;
    }

    // ---- prune ----

    /**
     * {@code builder prune}: removes build images no tagged image, container or other image still
     * stands on; with {@code all}, also every cache mount and what is left of the cache table.
     */
    public PruneResult prune(boolean all) throws IOException {
        List<ImageRow> rows = imageTable.list();
        Map<Digest, ImageRow> byId = new HashMap<>();
        for (ImageRow r : rows) {
            byId.put(r.id(), r);
        }
        Set<Digest> keep = new HashSet<>();
        for (ImageRow r : rows) {
            if (!r.tags().isEmpty() || imageTable.containersUsing(r.id(), false) > 0) {
                for (Digest cur = r.id(); cur != null && keep.add(cur);
                        cur = byId.containsKey(cur) ? byId.get(cur).parent() : null) {
                    // mark the image and its parents
                }
            }
        }
        Set<Digest> candidates = new HashSet<>(deps.cache().imageIds());
        candidates.removeAll(keep);
        List<Digest> deleted = new ArrayList<>();
        long reclaimed = 0;
        boolean progress = true;
        while (progress && !candidates.isEmpty()) {
            progress = false;
            Set<Digest> parents = new HashSet<>();
            for (Digest id : byId.keySet()) {
                ImageRow r = byId.get(id);
                if (r.parent() != null) {
                    parents.add(r.parent());
                }
            }
            for (Digest id : List.copyOf(candidates)) {
                if (parents.contains(id)) {
                    continue;
                }
                long size = sizeOwn(byId.get(id), byId);
                try {
                    deps.images().remove(id.toString(), false, false);
                    deleted.add(id);
                    reclaimed += size;
                } catch (ConflictException | NotFoundException e) {
                    // in use meanwhile, or gone
                }
                candidates.remove(id);
                byId.remove(id);
                progress = true;
            }
        }
        if (all) {
            reclaimed += deps.cacheMounts().pruneAll();
            deps.cache().deleteAll();
        }
        return new PruneResult(deleted, reclaimed);
    }

    private static long sizeOwn(ImageRow r, Map<Digest, ImageRow> byId) {
        if (r == null) {
            return 0;
        }
        ImageRow p = r.parent() == null ? null : byId.get(r.parent());
        return Math.max(0, r.size() - (p == null ? 0 : p.size()));
    }
}
