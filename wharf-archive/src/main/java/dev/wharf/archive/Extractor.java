package dev.wharf.archive;

import dev.wharf.base.error.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts tar streams (optionally gzip, zstd, bzip2 or xz compressed) into a directory without
 * ever writing outside it, hashing the uncompressed stream on the way.
 *
 * <p>Names are confined to the target: a leading {@code /} is dropped, a {@code ..} that climbs
 * above the target is refused, and symlinks among the parent directories are followed as if the
 * target were a chroot (see {@link RootedResolver}). A hardlink must name an existing non-directory
 * inside the target. Entries replace whatever is in their way; directories are kept and merged.
 * Ownership is applied only when running as root. Directory modes and mtimes are applied last,
 * deepest first. An entry naming the root itself ({@code ./}) is skipped, as moby does.
 *
 * <p>The input is read to its end (the tar's padding included) and closed, so
 * {@link ExtractResult#diffId()} equals {@code sha256sum} of the uncompressed tar.
 */
public final class Extractor {

    /** The prefix of an overlay-style whiteout in an OCI/Docker layer. */
    public static final String WHITEOUT_PREFIX = ".wh.";
    /** The prefix of AUFS metadata entries, which are skipped. */
    public static final String WHITEOUT_META_PREFIX = ".wh..wh.";
    /** The entry that marks its directory opaque. */
    public static final String WHITEOUT_OPAQUE = ".wh..wh..opq";
    /** The xattr overlayfs reads to treat a lower directory as opaque. */
    public static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    private Extractor() {}

    /**
     * Extracts an image layer into an overlayfs lower directory: {@code .wh.<name>} becomes a 0:0
     * character device named {@code <name>} (after removing any {@code <name>}), and
     * {@code .wh..wh..opq} sets {@code trusted.overlay.opaque=y} on its directory. Ownership is
     * kept (when running as root).
     */
    public static ExtractResult extractLayer(InputStream maybeCompressed, Path target) throws IOException {
        return extract(maybeCompressed, target, true, new ExtractOptions(false, true), null);
    }

    /**
     * {@link #extractLayer(InputStream, Path)}, recording the tar's non-content bytes in
     * {@code index} so that the exact tar can be rebuilt from the files ({@link TarIndex}). The
     * recorder is finished on success; on failure the caller aborts it.
     */
    public static ExtractResult extractLayer(InputStream maybeCompressed, Path target, TarIndex.Recorder index)
            throws IOException {
        return extract(maybeCompressed, target, true, new ExtractOptions(false, true), index);
    }

    /**
     * Flushes the file system holding {@code dir} to disk ({@code syncfs}): one call makes a whole
     * unpacked layer durable, where an fsync per file would cost a disk flush each.
     */
    public static void syncFileSystem(Path dir) throws IOException {
        Posix.syncfs(dir);
    }

    /** Extracts an upload ({@code docker cp}) as is: whiteout names are ordinary files here. */
    public static ExtractResult extractPlain(InputStream maybeCompressed, Path target, ExtractOptions opts)
            throws IOException {
        return extract(maybeCompressed, target, false, opts, null);
    }

    private static ExtractResult extract(InputStream in, Path target, boolean layer, ExtractOptions opts,
            TarIndex.Recorder index) throws IOException {
        Files.createDirectories(target);
        Path root = target.toRealPath();
        RootedResolver resolver = new RootedResolver(root);
        EntryMaker maker = new EntryMaker(resolver, opts.keepOwnership() && Posix.isRoot(), opts.noOverwriteDirNonDir());
        if (index != null) {
            index.root(root);
            maker.onRemove(index::beforeRemove);
        }
        try (InputStream plain = Compression.decompress(in)) {
            HashingInputStream hashing = new HashingInputStream(index == null ? plain : index.watch(plain));
            TarArchiveInputStream tar = new TarArchiveInputStream(hashing, StandardCharsets.UTF_8.name());
            long entries = 0;
            long content = 0;
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                entries++;
                if (!(layer && whiteout(entry, resolver, maker))) {
                    content += contentSize(entry);
                    boolean indexed = index != null && EntryMaker.isRegular(entry) && !entry.isSparse()
                            && index.beginContent(entry.getSize());
                    Path written = maker.make(entry, tar);
                    if (indexed) {
                        if (written == null) {
                            throw new IOException("entry " + entry.getName() + " was not written as a file");
                        }
                        index.endContent(written);
                    }
                }
            }
            hashing.drain();
            maker.finish();
            if (index != null) {
                index.finish();
            }
            return new ExtractResult(hashing.diffId(), hashing.count(), entries, content);
        }
    }

    /** An entry's share of the unpacked size: a regular file's bytes, a symbolic link's target length. */
    private static long contentSize(TarArchiveEntry entry) {
        if (entry.isSymbolicLink()) {
            return entry.getLinkName().getBytes(StandardCharsets.UTF_8).length;
        }
        return EntryMaker.isRegular(entry) && !entry.isLink() ? entry.getRealSize() : 0;
    }

    /** Applies a whiteout entry; false when the entry is not one. */
    private static boolean whiteout(TarArchiveEntry entry, RootedResolver resolver, EntryMaker maker)
            throws IOException {
        String name = entry.getName();
        List<String> parts = RootedResolver.clean(name, "entry");
        if (parts.isEmpty() || !parts.getLast().startsWith(WHITEOUT_PREFIX)) {
            return false;
        }
        String base = parts.getLast();
        List<String> parent = parts.subList(0, parts.size() - 1);
        if (base.equals(WHITEOUT_OPAQUE)) {
            Path dir = resolver.resolveDir(parent, name, true);
            Posix.lsetxattr(dir, OPAQUE_XATTR, new byte[] {'y'});
            return true;
        }
        if (base.startsWith(WHITEOUT_META_PREFIX)) {
            return true;
        }
        String victim = base.substring(WHITEOUT_PREFIX.length());
        if (victim.isEmpty() || victim.equals(".") || victim.equals("..")) {
            throw new InvalidArgumentException("invalid whiteout entry " + RootedResolver.quote(name));
        }
        Path path = resolver.resolveDir(parent, name, true).resolve(victim);
        maker.remove(path);
        Posix.mknod(path, Posix.S_IFCHR, 0, 0);
        return true;
    }
}
