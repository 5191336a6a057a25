package dev.wharf.archive;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.wharf.base.ffm.Downcalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The few libc calls Java has no API for, made through FFM (Linux, 64-bit glibc). Each call that
 * fails throws an {@link ErrnoException} carrying errno. Paths are passed as UTF-8.
 */
final class Posix {

    static final int S_IFMT = 0170000;
    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;
    static final int S_IFSOCK = 0140000;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ENODATA = 61;
    static final int ENOTSUP = 95;

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    private static final MethodHandle MKNOD =
            Downcalls.libc("mknod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle LCHOWN =
            Downcalls.libc("lchown", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCHMODAT =
            Downcalls.libc("fchmodat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle SYMLINK =
            Downcalls.libc("symlink", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle UTIMENSAT =
            Downcalls.libc("utimensat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle LSETXATTR = Downcalls.libc(
            "lsetxattr", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle LGETXATTR = Downcalls.libc(
            "lgetxattr", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle LLISTXATTR =
            Downcalls.libc("llistxattr", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle OPEN = Downcalls.libc("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SYNCFS = Downcalls.libc("syncfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = Downcalls.libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GETEUID = Downcalls.libcNoErrno("geteuid", FunctionDescriptor.of(JAVA_INT));

    private Posix() {}

    /** A failed libc call, with its errno. */
    static final class ErrnoException extends IOException {
        private final int errno;

        ErrnoException(String call, Object path, int errno) {
            super(call + " " + path + ": " + Downcalls.strerror(errno) + " (errno " + errno + ")");
            this.errno = errno;
        }

        int errno() {
            return errno;
        }
    }

    static boolean isRoot() {
        try {
            return (int) GETEUID.invokeExact() == 0;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code syncfs(2)} of the file system holding the directory {@code dir}: one flush for many files. */
    static void syncfs(Path dir) throws IOException {
        withCapture((arena, cs) -> {
            int fd = (int) OPEN.invokeExact(cs, cstr(arena, dir), 0200000 | 02000000); // O_RDONLY|O_DIRECTORY|O_CLOEXEC
            check(Math.min(fd, 0), cs, "open", dir);
            try {
                int rc = (int) SYNCFS.invokeExact(cs, fd);
                check(rc, cs, "syncfs", dir);
            } finally {
                int ignored = (int) CLOSE.invokeExact(cs, fd);
            }
            return null;
        });
    }

    /** Creates a device node or FIFO; {@code mode} includes the file type bits. */
    static void mknod(Path path, int mode, int major, int minor) throws IOException {
        withCapture((arena, cs) -> {
            int rc = (int) MKNOD.invokeExact(cs, cstr(arena, path), mode, makedev(major, minor));
            check(rc, cs, "mknod", path);
            return null;
        });
    }

    static void lchown(Path path, long uid, long gid) throws IOException {
        withCapture((arena, cs) -> {
            int rc = (int) LCHOWN.invokeExact(cs, cstr(arena, path), (int) uid, (int) gid);
            check(rc, cs, "lchown", path);
            return null;
        });
    }

    /** chmod including setuid, setgid and sticky bits. Never call it on a symlink. */
    static void chmod(Path path, int mode) throws IOException {
        withCapture((arena, cs) -> {
            int rc = (int) FCHMODAT.invokeExact(cs, AT_FDCWD, cstr(arena, path), mode & 07777, 0);
            check(rc, cs, "chmod", path);
            return null;
        });
    }

    /** Creates a symlink whose content is exactly {@code target} (no normalisation). */
    static void symlink(String target, Path link) throws IOException {
        withCapture((arena, cs) -> {
            int rc = (int) SYMLINK.invokeExact(cs, arena.allocateFrom(target), cstr(arena, link));
            check(rc, cs, "symlink", link);
            return null;
        });
    }

    /** Sets atime and mtime without following a final symlink. */
    static void lutimes(Path path, FileTime atime, FileTime mtime) throws IOException {
        withCapture((arena, cs) -> {
            MemorySegment ts = arena.allocate(JAVA_LONG, 4);
            ts.setAtIndex(JAVA_LONG, 0, atime.toInstant().getEpochSecond());
            ts.setAtIndex(JAVA_LONG, 1, atime.toInstant().getNano());
            ts.setAtIndex(JAVA_LONG, 2, mtime.toInstant().getEpochSecond());
            ts.setAtIndex(JAVA_LONG, 3, mtime.toInstant().getNano());
            int rc = (int) UTIMENSAT.invokeExact(cs, AT_FDCWD, cstr(arena, path), ts, AT_SYMLINK_NOFOLLOW);
            check(rc, cs, "utimensat", path);
            return null;
        });
    }

    static void lsetxattr(Path path, String name, byte[] value) throws IOException {
        withCapture((arena, cs) -> {
            MemorySegment v = arena.allocate(Math.max(1, value.length));
            v.copyFrom(MemorySegment.ofArray(value));
            int rc = (int) LSETXATTR.invokeExact(
                    cs, cstr(arena, path), arena.allocateFrom(name), v, (long) value.length, 0);
            check(rc, cs, "lsetxattr " + name, path);
            return null;
        });
    }

    /** The value of an extended attribute, or null when it is not set. */
    static byte[] lgetxattr(Path path, String name) throws IOException {
        return withCapture((arena, cs) -> {
            MemorySegment p = cstr(arena, path);
            MemorySegment n = arena.allocateFrom(name);
            for (int attempt = 0; attempt < 4; attempt++) {
                long size = (long) LGETXATTR.invokeExact(cs, p, n, MemorySegment.NULL, 0L);
                if (size < 0 && Downcalls.errno(cs) == ENODATA) {
                    return null;
                }
                checkSize(size, cs, "lgetxattr " + name, path);
                MemorySegment buf = arena.allocate(Math.max(1, size));
                long got = (long) LGETXATTR.invokeExact(cs, p, n, buf, buf.byteSize());
                if (got >= 0) {
                    return buf.asSlice(0, got).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                }
                if (Downcalls.errno(cs) != 34 /* ERANGE: grew meanwhile */) {
                    checkSize(got, cs, "lgetxattr " + name, path);
                }
            }
            throw new IOException("lgetxattr " + name + " " + path + ": value keeps changing size");
        });
    }

    /** The names of the extended attributes of a path (not following a final symlink). */
    static List<String> llistxattr(Path path) throws IOException {
        return withCapture((arena, cs) -> {
            MemorySegment p = cstr(arena, path);
            long size = (long) LLISTXATTR.invokeExact(cs, p, MemorySegment.NULL, 0L);
            if (size < 0 && Downcalls.errno(cs) == ENOTSUP) {
                return List.of();
            }
            checkSize(size, cs, "llistxattr", path);
            MemorySegment buf = arena.allocate(Math.max(1, size + 256));
            long got = (long) LLISTXATTR.invokeExact(cs, p, buf, buf.byteSize());
            checkSize(got, cs, "llistxattr", path);
            byte[] all = buf.asSlice(0, got).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            List<String> names = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == 0) {
                    if (i > start) {
                        names.add(new String(all, start, i - start, StandardCharsets.UTF_8));
                    }
                    start = i + 1;
                }
            }
            return names;
        });
    }

    /** One native call; {@code cs} is its errno capture, and both live until it returns. */
    private interface NativeCall<T> {
        T call(Arena arena, MemorySegment cs) throws Throwable;
    }

    /** Runs {@code c} in an arena of its own; its IOException passes, a linkage failure is a bug. */
    private static <T> T withCapture(NativeCall<T> c) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            return c.call(arena, Downcalls.capture(arena));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Linux's encoding of a device number (glibc {@code makedev}). */
    static long makedev(long major, long minor) {
        return (minor & 0xffL) | ((major & 0xfffL) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    }

    static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL));
    }

    static int minor(long dev) {
        return (int) ((dev & 0xffL) | ((dev >>> 12) & ~0xffL));
    }

    private static MemorySegment cstr(Arena arena, Path path) {
        return arena.allocateFrom(path.toString());
    }

    private static void check(int rc, MemorySegment capture, String call, Path path) throws ErrnoException {
        if (rc != 0) {
            throw new ErrnoException(call, path, Downcalls.errno(capture));
        }
    }

    private static void checkSize(long rc, MemorySegment capture, String call, Path path)
            throws ErrnoException {
        if (rc < 0) {
            throw new ErrnoException(call, path, Downcalls.errno(capture));
        }
    }
}
