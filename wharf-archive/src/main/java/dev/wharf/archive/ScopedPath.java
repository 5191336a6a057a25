package dev.wharf.archive;

import dev.wharf.base.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves a path given inside a container's root file system as the container would see it:
 * symlinks among the parent directories are followed inside {@code root} (an absolute target
 * restarts at {@code root}, {@code ..} stops there), so the result never leaves {@code root}.
 */
public final class ScopedPath {

    private ScopedPath() {
    }

    /**
     * The host path of {@code path} inside {@code root}. The last component is followed only when
     * {@code followLast} is set (moby follows it when the path ends in {@code /} or {@code /.}).
     * Returns null when a parent is missing or is not a directory.
     */
    public static Path resolve(Path root, String path, boolean followLast) throws IOException {
        RootedResolver r = new RootedResolver(root.toRealPath());
        Path p = resolve(r, path);
        for (int hops = 0; followLast && p != null && Files.isSymbolicLink(p); hops++) {
            if (hops > 40) {
                return null;
            }
            String target = Files.readSymbolicLink(p).toString();
            String from = target.startsWith("/") ? target : inside(r.root(), p.getParent()) + "/" + target;
            p = resolve(r, from);
        }
        return p;
    }

    private static Path resolve(RootedResolver r, String path) throws IOException {
        List<String> parts;
        try {
            parts = RootedResolver.clean(Path.of("/", path).normalize().toString(), "path");
        } catch (InvalidArgumentException | java.nio.file.InvalidPathException e) {
            return null;
        }
        if (parts.isEmpty()) {
            return r.root();
        }
        try {
            return r.resolveDir(parts.subList(0, parts.size() - 1), path, false).resolve(parts.getLast());
        } catch (InvalidArgumentException e) {
            return null;
        }
    }

    /** {@code hostPath} as an absolute path inside {@code root}. */
    public static String inside(Path root, Path hostPath) throws IOException {
        Path rel = root.toRealPath().relativize(hostPath);
        String s = rel.toString();
        return s.isEmpty() ? "/" : "/" + s;
    }
}
