package dev.wharf.runtime.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * mount(2) and umount2(2) through FFM, without forking {@code /bin/mount}.
 *
 * <p>The overlay options string must fit in one page (4096 bytes with its NUL). With long layer
 * paths use {@link #overlay(Path, List, Path, Path, Path)}: it names the lower dirs relative to
 * {@code /proc/self/fd/<fd of lowerBase>}, which keeps each entry short (about 20 characters plus
 * the relative name).
 */
public final class Mounts {

    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_REMOUNT = 32;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_PRIVATE = 1 << 18;
    private static final int MNT_DETACH = 2;
    private static final int PAGE = 4096;
    private static final int O_PATH = 0x200000;
    private static final int O_DIRECTORY = 0x10000;
    private static final int O_CLOEXEC = 0x80000;

    private Mounts() {}

    /**
     * Mounts an overlay at {@code merged}. {@code lowerDirs} are ordered top first. With a null
     * {@code upper} (and {@code work}) the result is read-only; a single lower dir with no upper is
     * bind-mounted read-only, since overlayfs needs two lowers without an upper.
     */
    public static void overlay(List<Path> lowerDirs, Path upper, Path work, Path merged) throws IOException {
        if (lowerDirs.isEmpty()) {
            throw new IllegalArgumentException("overlay needs at least one lower dir");
        }
        if (upper == null && lowerDirs.size() == 1) {
            bind(lowerDirs.getFirst(), merged, true);
            return;
        }
        String lower = lowerDirs.stream().map(p -> escape(p.toString())).collect(Collectors.joining(":"));
        mountOverlay(lower, upper, work, merged);
    }

    /**
     * Like {@link #overlay(List, Path, Path, Path)} with lower dirs given relative to {@code lowerBase},
     * referenced through an {@code O_PATH} descriptor so that long bases do not count against the
     * page limit.
     */
    public static void overlay(Path lowerBase, List<String> relativeLowers, Path upper, Path work, Path merged)
            throws IOException {
        if (upper == null && relativeLowers.size() == 1) {
            bind(lowerBase.resolve(relativeLowers.getFirst()), merged, true);
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.capture(arena);
            int dirFd = (int) Libc.OPEN.invokeExact(cap, arena.allocateFrom(lowerBase.toString()),
                    O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (dirFd < 0) {
                throw Libc.error("open " + lowerBase, Libc.errno(cap));
            }
            try {
                String prefix = "/proc/self/fd/" + dirFd + "/";
                String lower = relativeLowers.stream().map(r -> escape(prefix + r)).collect(Collectors.joining(":"));
                mountOverlay(lower, upper, work, merged);
            } finally {
                int ignored = (int) Libc.CLOSE.invokeExact(cap, dirFd);
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private static void mountOverlay(String lower, Path upper, Path work, Path merged) throws IOException {
        StringBuilder opts = new StringBuilder("lowerdir=").append(lower);
        long flags = 0;
        if (upper != null) {
            opts.append(",upperdir=").append(escape(upper.toString()))
                    .append(",workdir=").append(escape(work.toString()));
        } else {
            flags |= MS_RDONLY;
        }
        if (opts.length() >= PAGE) {
            throw new IOException("overlay mount options are " + opts.length()
                    + " bytes, over the kernel's limit of " + (PAGE - 1) + "; use shorter layer paths");
        }
        mount("overlay", merged.toString(), "overlay", flags, opts.toString());
    }

    /** Detaches the mount at {@code target} (MNT_DETACH); a path that is not mounted is no error. */
    public static void unmount(Path target) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.capture(arena);
            int rc = (int) Libc.UMOUNT2.invokeExact(cap, arena.allocateFrom(target.toString()), MNT_DETACH);
            if (rc < 0) {
                int err = Libc.errno(cap);
                if (err == Libc.EINVAL || err == Libc.ENOENT) {
                    return;
                }
                throw Libc.error("umount " + target, err);
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Recursively bind-mounts {@code src} on {@code dst}, then remounts it read-only if asked. */
    public static void bind(Path src, Path dst, boolean readOnly) throws IOException {
        mount(src.toString(), dst.toString(), null, MS_BIND | MS_REC, null);
        if (readOnly) {
            try {
                mount(null, dst.toString(), null, MS_BIND | MS_REMOUNT | MS_RDONLY, null);
            } catch (IOException e) {
                unmount(dst);
                throw e;
            }
        }
    }

    /** Whether {@code path} is a mount point, from {@code /proc/self/mountinfo}. */
    public static boolean isMountPoint(Path path) throws IOException {
        String p = path.toAbsolutePath().normalize().toString();
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && unescapeMountinfo(f[4]).equals(p)) {
                return true;
            }
        }
        return false;
    }

    private static String unescapeMountinfo(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** overlayfs splits on ',' and ':' unless escaped with a backslash. */
    private static String escape(String p) {
        return p.replace("\\", "\\\\").replace(":", "\\:").replace(",", "\\,");
    }

    static void mount(String source, String target, String fstype, long flags, String data) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cap = Libc.capture(arena);
            MemorySegment src = source == null ? MemorySegment.NULL : arena.allocateFrom(source);
            MemorySegment fs = fstype == null ? MemorySegment.NULL : arena.allocateFrom(fstype);
            MemorySegment d = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            int rc = (int) Libc.MOUNT.invokeExact(cap, src, arena.allocateFrom(target), fs, flags, d);
            if (rc < 0) {
                throw Libc.error("mount " + (fstype != null ? fstype : source) + " on " + target, Libc.errno(cap));
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }
}
