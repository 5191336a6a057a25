package dev.wharf.runtime.spec;

import dev.wharf.oci.runtime.Linux;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The host's device nodes, as a {@code --privileged} container gets them: every character and
 * block device under {@code /dev}, walked as containerd's {@code HostDevices} walks it (moby's
 * {@code WithDevices} calls it). Directories that hold no devices of the host's own (pts, shm,
 * mqueue, fd, lxc/lxd/udev bookkeeping) are skipped, and so is {@code /dev/console}, which the
 * runtime makes for a container with a terminal; symbolic links and FIFOs are not devices.
 */
public final class HostDevices {

    private static final Set<String> SKIPPED_DIRS = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts",
            ".udev");
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private HostDevices() {}

    /** The devices under {@code dev}, each at the same path in the container. */
    public static List<Linux.Device> list(Path dev) throws IOException {
        List<Linux.Device> out = new ArrayList<>();
        walk(dev, dev, Path.of("/dev"), out);
        return List.copyOf(out);
    }

    private static void walk(Path root, Path dir, Path inContainer, List<Linux.Device> out) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(entries::add);
        } catch (NoSuchFileException e) {
            return; // removed while we walked
        }
        entries.sort(null);
        for (Path p : entries) {
            String name = p.getFileName().toString();
            Path target = inContainer.resolve(name);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                if (!SKIPPED_DIRS.contains(name)) {
                    walk(root, p, target, out);
                }
                continue;
            }
            if (dir.equals(root) && name.equals("console")) {
                continue;
            }
            device(p, target.toString()).ifPresent(out::add);
        }
    }

    /**
     * The device node at {@code host} (not following a symbolic link) as it is to appear at
     * {@code inContainer}; empty when it is not a character or block device or is gone.
     */
    public static Optional<Linux.Device> device(Path host, String inContainer) throws IOException {
        int mode;
        long rdev;
        long uid;
        long gid;
        try {
            mode = (Integer) Files.getAttribute(host, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            rdev = ((Number) Files.getAttribute(host, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).longValue();
            uid = ((Number) Files.getAttribute(host, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
            gid = ((Number) Files.getAttribute(host, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String type = switch (mode & S_IFMT) {
            case S_IFCHR -> "c";
            case S_IFBLK -> "b";
            default -> null;
        };
        if (type == null) {
            return Optional.empty();
        }
        return Optional.of(new Linux.Device(inContainer, type, major(rdev), minor(rdev), mode & ~S_IFMT, uid, gid));
    }

    /**
     * The device node {@code host} names, symbolic links followed ({@code --device}), as it is to
     * appear at {@code inContainer}; empty when it is not a character or block device.
     *
     * @throws java.nio.file.NoSuchFileException when nothing is there
     */
    public static Optional<Linux.Device> node(Path host, String inContainer) throws IOException {
        return device(host.toRealPath(), inContainer);
    }

    /** What a {@code --device} path is on the host, as far as a create checks it. */
    public enum Probe { MISSING, DIRECTORY, OTHER }

    /** Whether {@code host} is there (itself, not followed) and a directory (followed). */
    public static Probe probe(Path host) {
        if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
            return Probe.MISSING;
        }
        return Files.isDirectory(host) ? Probe.DIRECTORY : Probe.OTHER;
    }

    /** glibc's {@code gnu_dev_major}. */
    public static long major(long rdev) {
        return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    }

    /** glibc's {@code gnu_dev_minor}. */
    public static long minor(long rdev) {
        return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    }
}
