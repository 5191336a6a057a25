package dev.wharf.engine.build;

import dev.wharf.base.fs.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The directories of {@code RUN --mount=type=cache}, one per cache ID, kept across builds and
 * daemon restarts until {@code builder prune --all}. Layout under the data root:
 * <pre>
 *   build/cache/&lt;sha256 of the id&gt;/   the cache's files, bind-mounted read-write into RUN steps
 * </pre>
 * {@code sharing=locked} steps take the ID's lock for the length of the step.
 */
final class CacheMounts {

    private final Path root;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    CacheMounts(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    /** The cache's directory, made on first use with the mount's mode and owner. */
    synchronized Path dir(String id, String mode, String uid, String gid) throws IOException {
        Path d = root.resolve(HexFormat.of().formatHex(dev.wharf.base.id.Digest.sha256()
                .digest(id.getBytes(StandardCharsets.UTF_8))));
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
            Path tmp = root.resolve(".new-" + d.getFileName());
            AtomicFiles.deleteTree(tmp);
            Files.createDirectory(tmp);
            Files.setPosixFilePermissions(tmp, ContextDir.perms(mode == null ? 0755 : Integer.parseInt(mode, 8)));
            Files.setAttribute(tmp, "unix:uid", uid == null ? 0 : Integer.parseInt(uid));
            Files.setAttribute(tmp, "unix:gid", gid == null ? 0 : Integer.parseInt(gid));
            Files.move(tmp, d);
        }
        return d;
    }

    Lock lock(String id) {
        return locks.computeIfAbsent(id, k -> new ReentrantLock());
    }

    /** Removes every cache directory; returns the bytes freed. */
    synchronized long pruneAll() throws IOException {
        long freed = 0;
        try (Stream<Path> s = Files.list(root)) {
            for (Path d : s.toList()) {
                freed += size(d);
                AtomicFiles.deleteTree(d);
            }
        }
        return freed;
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> w = Files.walk(dir)) {
            return w.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }
}
