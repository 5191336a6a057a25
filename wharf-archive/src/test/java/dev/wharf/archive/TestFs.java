package dev.wharf.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/** Small filesystem probes for tests. */
final class TestFs {

    private TestFs() {}

    /** Fails (never skips) when a test that needs root runs without it. */
    static void requireRoot() {
        assertThat(Posix.isRoot())
                .as("this test needs root (chown, mknod, trusted.* xattrs); run the build as root")
                .isTrue();
    }

    static Map<String, Object> stat(Path p) throws IOException {
        return Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    }

    static int mode(Path p) throws IOException {
        return (int) stat(p).get("mode");
    }

    static int type(Path p) throws IOException {
        return mode(p) & Posix.S_IFMT;
    }

    static int perm(Path p) throws IOException {
        return mode(p) & 07777;
    }

    static long mtimeSeconds(Path p) throws IOException {
        return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().getEpochSecond();
    }
}
