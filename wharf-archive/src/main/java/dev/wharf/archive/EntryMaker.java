package dev.wharf.archive;

import static dev.wharf.archive.RootedResolver.quote;

import dev.wharf.base.error.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Creates one tar entry on disk, confined by a {@link RootedResolver}, and its metadata. */
final class EntryMaker {

    static final String SCHILY_XATTR = "SCHILY.xattr.";
    static final String LIBARCHIVE_XATTR = "LIBARCHIVE.xattr.";

    private static final int HOLE_BLOCK = 4096;

    private final RootedResolver resolver;
    private final boolean chown;
    private final boolean noOverwriteDirNonDir;
    private final boolean root = Posix.isRoot();
    private final Map<Path, DirMeta> dirs = new HashMap<>();

    private record DirMeta(int mode, FileTime atime, FileTime mtime) {}

    EntryMaker(RootedResolver resolver, boolean chown, boolean noOverwriteDirNonDir) {
        this.resolver = resolver;
        this.chown = chown;
        this.noOverwriteDirNonDir = noOverwriteDirNonDir;
    }

    /** Called with each path about to be removed or replaced (the tar index's conflict check). */
    private RemovalHook onRemove = p -> { };

    interface RemovalHook {
        void beforeRemove(Path path) throws IOException;
    }

    void onRemove(RemovalHook hook) {
        this.onRemove = hook;
    }

    /** Removes what is at {@code path}, telling the hook first. */
    void remove(Path path) throws IOException {
        onRemove.beforeRemove(path);
        removeExisting(path);
    }

    /** Makes the entry; returns the path of the regular file it wrote (with the entry's content), else null. */
    Path make(TarArchiveEntry entry, InputStream data) throws IOException {
        String name = entry.getName();
        List<String> parts = RootedResolver.clean(name, "entry");
        boolean isDir = entry.isDirectory();
        if (parts.isEmpty()) {
            if (isDir) {
                return null;
            }
            throw new InvalidArgumentException("entry " + quote(name) + " has no name");
        }
        Path path = resolver.resolveDir(parts.subList(0, parts.size() - 1), name, true).resolve(parts.getLast());
        Path linkTarget = entry.isLink() ? hardlinkTarget(entry) : null;
        if (path.equals(linkTarget)) {
            return null;
        }
        BasicFileAttributes existing = RootedResolver.lstat(path);
        if (existing != null && !(existing.isDirectory() && isDir)) {
            if (noOverwriteDirNonDir && existing.isDirectory()) {
                throw new InvalidArgumentException("cannot overwrite directory "
                        + quote(resolver.root().relativize(path).toString()) + " with non-directory " + quote(name));
            }
            if (noOverwriteDirNonDir && isDir) {
                throw new InvalidArgumentException("cannot overwrite non-directory "
                        + quote(resolver.root().relativize(path).toString()) + " with directory " + quote(name));
            }
            remove(path);
        }
        int perm = entry.getMode() & 07777;
        if (isDir) {
            if (existing == null || !existing.isDirectory()) {
                Files.createDirectory(path);
            }
        } else if (linkTarget != null) {
            Files.createLink(path, linkTarget);
            return null; // a hardlink shares its target's metadata
        } else if (entry.isSymbolicLink()) {
            Posix.symlink(entry.getLinkName(), path);
        } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            int type = entry.isCharacterDevice() ? Posix.S_IFCHR : Posix.S_IFBLK;
            try {
                Posix.mknod(path, type | perm, entry.getDevMajor(), entry.getDevMinor());
            } catch (Posix.ErrnoException e) {
                if (!root && e.errno() == Posix.EPERM) {
                    return null; // unprivileged: device nodes cannot be made, as in rootless Docker
                }
                throw e;
            }
        } else if (entry.isFIFO()) {
            Posix.mknod(path, Posix.S_IFIFO | perm, 0, 0);
        } else if (isRegular(entry)) {
            writeFile(path, entry, data);
            applyMetadata(path, entry, perm, isDir);
            return path;
        } else {
            throw new InvalidArgumentException(
                    "entry " + quote(name) + ": unhandled tar header type " + (char) entry.getLinkFlag());
        }
        applyMetadata(path, entry, perm, isDir);
        return null;
    }

    /** Applies the deferred directory modes and mtimes, deepest first. */
    void finish() throws IOException {
        List<Map.Entry<Path, DirMeta>> sorted = new ArrayList<>(dirs.entrySet());
        sorted.sort(Comparator.comparingInt((Map.Entry<Path, DirMeta> e) -> e.getKey().getNameCount()).reversed());
        for (Map.Entry<Path, DirMeta> e : sorted) {
            BasicFileAttributes attrs = RootedResolver.lstat(e.getKey());
            if (attrs != null && attrs.isDirectory()) {
                Posix.chmod(e.getKey(), e.getValue().mode());
                Posix.lutimes(e.getKey(), e.getValue().atime(), e.getValue().mtime());
            }
        }
    }

    /** Removes a file, symlink or directory tree; symlinks are removed, never followed. */
    static void removeExisting(Path path) throws IOException {
        BasicFileAttributes attrs = RootedResolver.lstat(path);
        if (attrs == null) {
            return;
        }
        if (!attrs.isDirectory()) {
            Files.delete(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static boolean isRegular(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        return flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM
                || flag == TarConstants.LF_CONTIG || flag == TarConstants.LF_GNUTYPE_SPARSE;
    }

    private Path hardlinkTarget(TarArchiveEntry entry) throws IOException {
        String name = entry.getName();
        String link = entry.getLinkName();
        List<String> parts = RootedResolver.clean(link, "hardlink target of " + quote(name) + ":");
        if (parts.isEmpty()) {
            throw new InvalidArgumentException("invalid hardlink " + quote(name) + " -> " + quote(link));
        }
        Path target;
        try {
            target = resolver.resolveDir(parts.subList(0, parts.size() - 1), name, false).resolve(parts.getLast());
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException(
                    "invalid hardlink " + quote(name) + " -> " + quote(link) + ": " + e.getMessage(), e);
        }
        BasicFileAttributes attrs = RootedResolver.lstat(target);
        if (attrs == null) {
            throw new InvalidArgumentException(
                    "invalid hardlink " + quote(name) + " -> " + quote(link) + ": target not found in the archive");
        }
        if (attrs.isDirectory()) {
            throw new InvalidArgumentException(
                    "invalid hardlink " + quote(name) + " -> " + quote(link) + ": target is a directory");
        }
        return target;
    }

    private static void writeFile(Path path, TarArchiveEntry entry, InputStream data) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            if (entry.isSparse()) {
                writeSparse(ch, data, entry.getRealSize());
            } else {
                byte[] buf = new byte[(int) Math.clamp(entry.getSize(), 8 << 10, 256 << 10)];
                for (int n = data.read(buf); n >= 0; n = data.read(buf)) {
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        ch.write(bb);
                    }
                }
            }
        }
    }

    /** Writes expanded sparse data, leaving holes where whole blocks are zero. */
    private static void writeSparse(FileChannel ch, InputStream data, long realSize) throws IOException {
        byte[] block = new byte[HOLE_BLOCK];
        long pos = 0;
        while (true) {
            int n = data.readNBytes(block, 0, block.length);
            if (n <= 0) {
                break;
            }
            if (!isZero(block, n)) {
                ch.write(ByteBuffer.wrap(block, 0, n), pos);
            }
            pos += n;
        }
        long size = Math.max(pos, realSize);
        if (ch.size() < size) {
            ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
    }

    private static boolean isZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Ownership first, then xattrs, then mode (chown clears setuid), then times. */
    private void applyMetadata(Path path, TarArchiveEntry entry, int perm, boolean isDir) throws IOException {
        if (chown) {
            Posix.lchown(path, entry.getLongUserId(), entry.getLongGroupId());
        }
        setXattrs(path, entry);
        FileTime mtime = entry.getLastModifiedTime();
        FileTime atime = entry.getLastAccessTime() != null ? entry.getLastAccessTime() : mtime;
        if (isDir) {
            dirs.put(path, new DirMeta(perm, atime, mtime));
            return;
        }
        if (!entry.isSymbolicLink()) {
            Posix.chmod(path, perm);
        }
        Posix.lutimes(path, atime, mtime);
    }

    private static void setXattrs(Path path, TarArchiveEntry entry) throws IOException {
        for (Map.Entry<String, String> h : entry.getExtraPaxHeaders().entrySet()) {
            String key = h.getKey();
            String attr;
            byte[] value;
            if (key.startsWith(SCHILY_XATTR)) {
                attr = key.substring(SCHILY_XATTR.length());
                value = h.getValue().getBytes(StandardCharsets.UTF_8);
            } else if (key.startsWith(LIBARCHIVE_XATTR)) {
                attr = URLDecoder.decode(key.substring(LIBARCHIVE_XATTR.length()), StandardCharsets.UTF_8);
                value = Base64.getDecoder().decode(h.getValue().strip());
            } else {
                continue;
            }
            try {
                Posix.lsetxattr(path, attr, value);
            } catch (Posix.ErrnoException e) {
                boolean ignorable = attr.startsWith("security.")
                        || e.errno() == Posix.EPERM || e.errno() == Posix.ENOTSUP;
                if (!ignorable) {
                    throw e;
                }
            }
        }
    }
}
