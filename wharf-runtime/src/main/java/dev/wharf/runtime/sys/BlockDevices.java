package dev.wharf.runtime.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Major and minor numbers of the host's block devices, for cgroup weights and throttles. */
public final class BlockDevices {

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    private BlockDevices() {
    }

    /** {major, minor} of the block device at {@code path} (symlinks followed). */
    public static long[] numbers(String path) throws IOException {
        Path p = Path.of(path);
        int mode;
        long rdev;
        try {
            mode = (Integer) Files.getAttribute(p, "unix:mode");
            rdev = (Long) Files.getAttribute(p, "unix:rdev");
        } catch (NoSuchFileException e) {
            throw new IOException("stat " + path + ": no such file or directory", e);
        }
        if ((mode & S_IFMT) != S_IFBLK) {
            throw new IOException(path + " is not a block device");
        }
        // glibc's gnu_dev_major/minor
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        return new long[] {major, minor};
    }
}
