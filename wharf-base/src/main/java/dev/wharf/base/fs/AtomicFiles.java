package dev.wharf.base.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Write-then-rename helpers: a reader sees the old content or the new, never a torn file. */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes {@code data} to a temporary sibling, fsyncs it and renames it over {@code target}. */
    public static void write(Path target, byte[] data) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp" + ProcessHandle.current().pid()
                + "-" + Thread.currentThread().threadId());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(data));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDir(target.getParent());
    }

    /** Fsyncs a directory so that a rename inside it survives a crash. */
    public static void fsyncDir(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Some file systems refuse fsync on a directory; the rename is still atomic.
        }
    }

    /** Removes a tree if it exists, ignoring entries that vanish meanwhile. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
