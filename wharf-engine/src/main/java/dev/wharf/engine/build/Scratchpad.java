package dev.wharf.engine.build;

import dev.wharf.archive.TarWriter;
import dev.wharf.base.fs.AtomicFiles;
import dev.wharf.runtime.sys.Mounts;
import dev.wharf.store.layer.LayerStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A file system to write one step's files into, without a container: an overlay of the parent
 * image's layers with a fresh upper directory (or the bare upper for {@code scratch} and
 * {@code COPY --link}). What lands in the upper directory becomes the layer. Also serves as a
 * read-only view of an image for {@code COPY --from} and bind mounts. Layout:
 * <pre>
 *   build/tmp-&lt;random&gt;/upper  the changes (overlay upper)
 *   build/tmp-&lt;random&gt;/work   overlay's work directory
 *   build/tmp-&lt;random&gt;/root   the merged mount point
 * </pre>
 * Leftovers of a crash are removed at start ({@link BuildService#cleanup()}).
 */
final class Scratchpad implements AutoCloseable {

    private final Path dir;
    private final Path upper;
    private final boolean mounted;
    private final Path mnt;

    private Scratchpad(Path dir, boolean mounted) {
        this.dir = dir;
        this.upper = dir.resolve("upper");
        this.mnt = dir.resolve("root");
        this.mounted = mounted;
    }

    /** Over the layers (bottom first) if there are any, else a bare directory. */
    static Scratchpad open(Path tmpRoot, LayerStore layers, List<String> chainIds) throws IOException {
        Path dir = Files.createTempDirectory(tmpRoot, "tmp-");
        Scratchpad p = new Scratchpad(dir, !chainIds.isEmpty());
        Files.createDirectories(p.upper);
        if (p.mounted) {
            Files.createDirectories(dir.resolve("work"));
            Files.createDirectories(p.mnt);
            try {
                Mounts.overlay(layers.lowerDirs(chainIds), p.upper, dir.resolve("work"), p.mnt);
            } catch (IOException | RuntimeException e) {
                AtomicFiles.deleteTree(dir);
                throw e;
            }
        }
        return p;
    }

    /** Where to read and write: the merged root, or the bare upper directory. */
    Path root() {
        return mounted ? mnt : upper;
    }

    Path dir() {
        return dir;
    }

    /** Unmounts and turns the upper directory into a staged layer (none when nothing changed). */
    StagedLayer finish(LayerStore layers) throws IOException {
        if (mounted) {
            Mounts.unmount(mnt);
        }
        try (Stream<Path> s = Files.list(upper)) {
            if (s.findAny().isEmpty()) {
                return new StagedLayer(null);
            }
        }
        return stageTree(layers, upper, dir.resolve("layer.tar"));
    }

    /** Writes {@code upper} as a layer tar to {@code tar} and stages it. */
    static StagedLayer stageTree(LayerStore layers, Path upper, Path tar) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tar), 1 << 20)) {
            TarWriter.writeLayer(upper, out, rel -> false);
        }
        try (InputStream in = Files.newInputStream(tar)) {
            return new StagedLayer(layers.stage(in));
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    @Override
    public void close() throws IOException {
        if (mounted) {
            Mounts.unmount(mnt);
        }
        AtomicFiles.deleteTree(dir);
    }
}
