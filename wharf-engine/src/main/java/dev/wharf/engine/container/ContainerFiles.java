package dev.wharf.engine.container;

import dev.wharf.archive.Changes;
import dev.wharf.archive.ExtractOptions;
import dev.wharf.archive.Extractor;
import dev.wharf.archive.ScopedPath;
import dev.wharf.archive.TarWriter;
import dev.wharf.base.error.ConflictException;
import dev.wharf.base.error.InvalidArgumentException;
import dev.wharf.base.error.NotFoundException;
import dev.wharf.base.id.Digest;
import dev.wharf.engine.common.Filters;
import dev.wharf.engine.common.Times;
import dev.wharf.engine.image.ImageService;
import dev.wharf.model.container.ChangeItem;
import dev.wharf.model.container.ContainerConfig;
import dev.wharf.model.container.ContainerPruneResponse;
import dev.wharf.model.container.ContainerSummary;
import dev.wharf.model.container.PathStat;
import dev.wharf.oci.image.ImageConfig;
import dev.wharf.engine.volume.VolumeService;
import dev.wharf.runtime.sys.Mounter;
import dev.wharf.store.layer.LayerStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A container's files: the archive endpoints behind {@code docker cp}, {@code export},
 * {@code diff}, {@code commit}, and {@code container prune}. A running container is read and
 * written through its mounted root; a stopped one has its overlay mounted for the duration, under
 * its lock, so a start waits until the copy is done.
 */
public final class ContainerFiles {

    /** Mount points the runtime makes in the root (moby keeps them in its init layer); never part of a diff or commit. */
    private static final Set<String> RUNTIME_PATHS = Set.of("/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
            "/dev", "/proc", "/sys", "/.dockerenv");

    private final ContainerRegistry registry;
    private final Lifecycle lifecycle;
    private final ContainerRemover remover;
    private final ContainerQueries queries;
    private final VolumeService volumes;
    private final ImageService images;
    private final LayerStore layers;
    private final Mounter mounter;

    ContainerFiles(ContainerRegistry registry, Lifecycle lifecycle, ContainerRemover remover,
            ContainerQueries queries, VolumeService volumes, ImageService images, LayerStore layers, Mounter mounter) {
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.remover = remover;
        this.queries = queries;
        this.volumes = volumes;
        this.images = images;
        this.layers = layers;
        this.mounter = mounter;
    }

    /** Receives the stat of the archived path, then gives the stream to write the tar to. */
    public interface ArchiveSink {
        OutputStream begin(PathStat stat) throws IOException;
    }

    private interface RootAction<T> {
        T run(Path root) throws IOException;
    }

    // ---- archive ----

    /** {@code HEAD /containers/{id}/archive?path=}. */
    public PathStat stat(String idOrName, String path) throws IOException {
        Container c = registry.find(idOrName);
        requirePath(path);
        return withRoot(c, root -> {
            MountedPaths.Target t = target(c, root, path);
            return stat(t, resolveExisting(c, t, path), path);
        });
    }

    /** {@code GET /containers/{id}/archive?path=}: a tar whose top entry is the path's base name. */
    public void get(String idOrName, String path, ArchiveSink sink) throws IOException {
        Container c = registry.find(idOrName);
        requirePath(path);
        withRoot(c, root -> {
            MountedPaths.Target t = target(c, root, path);
            Path p = resolveExisting(c, t, path);
            PathStat st = stat(t, p, path);
            OutputStream out = sink.begin(st);
            String name = st.name().equals("/") ? "." : st.name();
            TarWriter.writeTree(p, name, out);
            out.flush();
            return null;
        });
    }

    /**
     * {@code PUT /containers/{id}/archive?path=}: extracts a tar into an existing directory, into
     * the volume or bind source when the directory is under a mount. Entries belong to root unless
     * {@code copyUIDGID} asks to keep the tar's owners (Docker's {@code docker cp -a}).
     */
    public void put(String idOrName, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUIDGID)
            throws IOException {
        Container c = registry.find(idOrName);
        requirePath(path);
        withRoot(c, root -> {
            MountedPaths.Target t = target(c, root, path);
            if (t.mount() == null && c.cfg.hostConfig().readonlyRootfs()) {
                throw new dev.wharf.base.error.ForbiddenException("container rootfs is marked read-only");
            }
            if (t.mount() != null && !t.mount().rw()) {
                throw new dev.wharf.base.error.ForbiddenException("mounted volume is marked read-only");
            }
            Path dir = ScopedPath.resolve(t.root(), t.path(), true);
            if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw notFound(c, path);
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidArgumentException("extraction point is not a directory");
            }
            Extractor.extractPlain(tar, dir, ExtractOptions.DEFAULTS.withNoOverwriteDirNonDir(noOverwriteDirNonDir)
                    .withKeepOwnership(copyUIDGID));
            return null;
        });
    }

    // ---- export ----

    /** {@code GET /containers/{id}/export}: the merged root file system as a tar. */
    public void export(String idOrName, java.util.function.Supplier<OutputStream> sink) throws IOException {
        Container c = registry.find(idOrName);
        withRoot(c, root -> {
            OutputStream out = sink.get();
            TarWriter.writeTree(root, "", out);
            out.flush();
            return null;
        });
    }

    // ---- diff ----

    /** {@code GET /containers/{id}/changes}. */
    public List<ChangeItem> changes(String idOrName) throws IOException {
        Container c = registry.find(idOrName);
        List<Path> lowers = layers.lowerDirs(images.resolve(c.cfg.imageId()).chainIds());
        List<ChangeItem> out = new ArrayList<>();
        for (Changes.Change ch : Changes.compute(paths().upper(c.id), lowers, RUNTIME_PATHS::contains)) {
            out.add(new ChangeItem(ch.path(), ch.kind().ordinal()));
        }
        return out;
    }

    // ---- commit ----

    /**
     * {@code POST /commit}: the container's changes as a new layer on its image. Returns the image ID.
     * With {@code pause} (Docker's default) a running container is frozen while its diff is taken
     * and thawed after, so the layer is a consistent snapshot. {@code config}, the request body
     * (null for none), is merged over the container's config before the {@code changes} apply.
     */
    public String commit(String idOrName, String repo, String tag, String comment, String author,
            ContainerConfig config, List<String> changes, boolean pause) throws IOException {
        Container c = registry.find(idOrName);
        ImageService.checkReference(repo, tag);
        ContainerConfig cc = c.cfg.config();
        ImageConfig.RunConfig run = ImageService.applyChanges(CommitConfig.merge(config, cc),
                changes == null ? List.of() : changes);
        Path tar = paths().dir(c.id).resolve("commit-" + UUID.randomUUID() + ".tar");
        try {
            boolean paused = pause && c.state.running() && !c.state.is(ContainerStatus.PAUSED) && pauseIfRunning(c);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar), 1 << 20)) {
                TarWriter.writeLayer(paths().upper(c.id), out, rel -> RUNTIME_PATHS.contains("/" + rel));
            } finally {
                if (paused) {
                    try {
                        lifecycle.unpause(c.id.value());
                    } catch (ConflictException e) {
                        // it stopped (or was unpaused) meanwhile
                    }
                }
            }
            String createdBy = cc.cmd() == null ? "" : String.join(" ", cc.cmd());
            return images.commit(new ImageService.CommitRequest(Digest.parse(c.cfg.imageId()), tar, run, author,
                    comment, createdBy, repo, tag)).toString();
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    /**
     * Pauses a container for commit; false when it exited meanwhile (docker-py commits a
     * container right after starting {@code touch /test}), as Docker then commits what is there.
     */
    private boolean pauseIfRunning(Container c) {
        try {
            lifecycle.pause(c.id.value());
            return true;
        } catch (RuntimeException e) {
            // The process may have ended before its exit was recorded: wait for the record.
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (c.state.running() && !c.state.is(ContainerStatus.PAUSED) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
            if (c.state.running()) {
                throw e;
            }
            return false;
        }
    }

    // ---- build steps ----

    /** The directory that holds a container's changes (its overlay upper); the builder checks mount points in it. */
    public Path changesDir(String idOrName) {
        return paths().upper(registry.find(idOrName).id);
    }

    /**
     * Writes a stopped container's changes as a layer tar for the builder, leaving out the runtime's
     * mount points and the paths {@code exclude} names (relative, no leading slash).
     */
    public void writeChanges(String idOrName, OutputStream out, java.util.function.Predicate<String> exclude)
            throws IOException {
        Container c = registry.find(idOrName);
        TarWriter.writeLayer(paths().upper(c.id), out, rel -> RUNTIME_PATHS.contains("/" + rel) || exclude.test(rel));
    }

    // ---- prune and sizes ----

    /** {@code POST /containers/prune}: removes every container that is not running. */
    public ContainerPruneResponse prune(Filters f) throws IOException {
        f.only(Set.of("until", "label", "label!"));
        Instant until = f.has("until") ? Times.parseTimestamp(f.get("until").getFirst()) : null;
        List<Container> all = new ArrayList<>();
        all.addAll(registry.all());
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (Container c : all) {
            if (c.removed || c.state.running() || c.state.is(ContainerStatus.REMOVING)) {
                continue;
            }
            if (until != null && !Instant.parse(c.cfg.created()).isBefore(until)) {
                continue;
            }
            Map<String, String> labels = c.cfg.config().labels() == null ? Map.of() : c.cfg.config().labels();
            if (!f.labelsMatch(labels) || negated(f.get("label!"), labels)) {
                continue;
            }
            long size = du(paths().upper(c.id));
            try {
                remover.remove(c.id.value(), false, false);
            } catch (ConflictException | NotFoundException e) {
                continue; // started or removed meanwhile
            }
            deleted.add(c.id.value());
            reclaimed += size;
        }
        return new ContainerPruneResponse(deleted.isEmpty() ? null : deleted, reclaimed);
    }

    /** Every container with {@code SizeRw} (its writable layer) and {@code SizeRootFs} (plus its image). */
    public List<ContainerSummary> withSizes() throws IOException {
        return withSizes(queries.list(true, 0, Filters.NONE));
    }

    /** The list entries with {@code SizeRw} and {@code SizeRootFs} ({@code ps -s}). */
    public List<ContainerSummary> withSizes(List<ContainerSummary> list) throws IOException {
        List<ContainerSummary> out = new ArrayList<>();
        for (ContainerSummary s : list) {
            Sizes z;
            try {
                z = sizes(s.id());
            } catch (NotFoundException removedMeanwhile) { // a concurrent rm: it is not listed
                continue;
            }
            out.add(new ContainerSummary(s.id(), s.names(), s.image(), s.imageId(), s.command(), s.created(),
                    s.ports(), z.rw(), z.rootFs(), s.labels(), s.state(), s.status(), s.hostConfig(),
                    s.networkSettings(), s.mounts()));
        }
        return out;
    }

    /** A container's writable layer ({@code rw}) and that plus its image ({@code rootFs}), in bytes. */
    public record Sizes(long rw, long rootFs) {
    }

    public Sizes sizes(String idOrName) throws IOException {
        Container c = registry.find(idOrName);
        long rw = du(paths().upper(c.id));
        long image = images.rows().stream().filter(r -> r.id().toString().equals(c.cfg.imageId()))
                .mapToLong(r -> r.size()).findFirst().orElse(0);
        return new Sizes(rw, rw + image);
    }

    // ---- helpers ----

    private ContainerPaths paths() {
        return registry.paths();
    }

    private <T> T withRoot(Container c, RootAction<T> action) throws IOException {
        if (c.state.running()) {
            return action.run(paths().rootfs(c.id));
        }
        c.lock.lock();
        try {
            if (c.state.running()) {
                return action.run(paths().rootfs(c.id));
            }
            if (c.removed) {
                throw new NotFoundException("No such container: " + c.id);
            }
            Path mnt = paths().rootfs(c.id);
            mounter.unmount(mnt);
            Files.createDirectories(mnt);
            List<Path> lowers = layers.lowerDirs(images.resolve(c.cfg.imageId()).chainIds());
            mounter.overlay(lowers, paths().upper(c.id), paths().work(c.id), mnt);
            try {
                return action.run(mnt);
            } finally {
                mounter.unmount(mnt);
            }
        } finally {
            c.lock.unlock();
        }
    }

    private static void requirePath(String path) {
        if (path == null || path.isEmpty()) {
            throw new InvalidArgumentException("Path cannot be empty");
        }
    }

    /** moby follows the last component when the path ends in {@code /} or {@code /.}. */
    private static Path resolveExisting(Container c, MountedPaths.Target t, String path) throws IOException {
        boolean follow = t.path().endsWith("/") || t.path().endsWith("/.");
        Path p = ScopedPath.resolve(t.root(), t.path(), follow);
        if (p == null || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw notFound(c, path);
        }
        if (follow && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            // "/etc/passwd/" names a directory that is not there: lstat fails with ENOTDIR
            throw new InvalidArgumentException("lstat " + path + ": not a directory");
        }
        return p;
    }

    private static NotFoundException notFound(Container c, String path) {
        return new NotFoundException("Could not find the file " + path + " in container " + c.name());
    }

    /**
     * Where {@code path} is on the host: in a volume or bind source when it is under a mount. The
     * hosts, hostname and resolv.conf files the engine binds over the image's (once the container
     * has started) are mounts too, as Docker mounts them for archive requests; a user's own mount on
     * one of these paths comes first and wins.
     */
    private MountedPaths.Target target(Container c, Path root, String path) throws IOException {
        List<ContainerMount> mounts = new ArrayList<>(c.cfg.mounts() == null ? List.of() : c.cfg.mounts());
        for (String file : List.of("hosts", "hostname", "resolv.conf")) {
            Path host = paths().dir(c.id).resolve(file);
            if (Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)) {
                mounts.add(new ContainerMount("bind", null, host.toString(), "/etc/" + file, "", true, "", false, "",
                        null));
            }
        }
        return MountedPaths.locate(root, mounts, volumes::mountpoint, path);
    }

    private static PathStat stat(MountedPaths.Target t, Path p, String asked) throws IOException {
        Path root = t.root();
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        int mode = (int) a.get("mode");
        String link = "";
        if ((mode & 0170000) == 0120000) {
            Path target = ScopedPath.resolve(root, ScopedPath.inside(root, p), true);
            link = target == null ? "" : t.containerPath(ScopedPath.inside(root, target));
        }
        String name = baseName(asked);
        Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
        return new PathStat(name, (long) a.get("size"), goMode(mode), Times.rfc3339(mtime), link);
    }

    /** Go's {@code filepath.Base} of the cleaned absolute path, keeping a trailing {@code /.} as {@code .}. */
    static String baseName(String path) {
        if (path.endsWith("/.") || path.equals(".")) {
            return ".";
        }
        String clean = Path.of("/", path).normalize().toString();
        if (clean.equals("/")) {
            return "/";
        }
        return clean.substring(clean.lastIndexOf('/') + 1);
    }

    /** {@code st_mode} to Go's {@code os.FileMode}. */
    static long goMode(int mode) {
        long m = mode & 0777;
        switch (mode & 0170000) {
            case 0040000 -> m |= 1L << 31;
            case 0120000 -> m |= 1L << 27;
            case 0060000 -> m |= 1L << 26;
            case 0020000 -> m |= (1L << 26) | (1L << 21);
            case 0010000 -> m |= 1L << 25;
            case 0140000 -> m |= 1L << 24;
            default -> { }
        }
        if ((mode & 04000) != 0) {
            m |= 1L << 23;
        }
        if ((mode & 02000) != 0) {
            m |= 1L << 22;
        }
        if ((mode & 01000) != 0) {
            m |= 1L << 20;
        }
        return m;
    }

    private static boolean negated(List<String> negated, Map<String, String> labels) {
        for (String l : negated) {
            int eq = l.indexOf('=');
            String k = eq < 0 ? l : l.substring(0, eq);
            if (labels.containsKey(k) && (eq < 0 || labels.get(k).equals(l.substring(eq + 1)))) {
                return true;
            }
        }
        return false;
    }

    /** Bytes of the files under {@code dir}, each inode once, as Docker's {@code SizeRw}. */
    static long du(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long[] total = {0};
        Set<Object> seen = new HashSet<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                if (a.isRegularFile() && (a.fileKey() == null || seen.add(a.fileKey()))) {
                    total[0] += a.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) { // removed while read: counted so far
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }
}
