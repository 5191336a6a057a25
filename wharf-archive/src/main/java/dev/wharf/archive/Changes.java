package dev.wharf.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What a container changed, read from its overlayfs upper directory against the image's lower
 * directories, as moby's {@code archive.Changes} reports it ({@code docker diff}): a whiteout is a
 * deletion, a path absent from every lower layer an addition, anything else a modification. A
 * directory that exists below is reported as modified only when something under it changed or its
 * mode differs, so a copied-up parent of a runtime mount point does not show.
 */
public final class Changes {

    /** Docker's kinds: 0 modified, 1 added, 2 deleted. */
    public enum Kind { MODIFIED, ADDED, DELETED }

    /** One change; {@code path} is absolute inside the container. */
    public record Change(String path, Kind kind) {
    }

    private Changes() {
    }

    /**
     * Walks {@code upper}; {@code lowersTopFirst} are the image's layer directories, top first.
     * Paths for which {@code exclude} holds (absolute, e.g. {@code /etc/hosts}) are skipped with
     * everything under them. The result is sorted by path.
     */
    public static List<Change> compute(Path upper, List<Path> lowersTopFirst, Predicate<String> exclude)
            throws IOException {
        Map<String, Change> out = new TreeMap<>();
        walk(upper, "", lowersTopFirst, exclude, out);
        return new ArrayList<>(out.values());
    }

    /** Returns true when something under {@code dir} was recorded. */
    private static boolean walk(Path dir, String rel, List<Path> lowers, Predicate<String> exclude,
            Map<String, Change> out) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        boolean any = false;
        for (Path child : children) {
            String path = rel + "/" + child.getFileName();
            if (exclude.test(path)) {
                continue;
            }
            Map<String, Object> a = Files.readAttributes(child, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            int mode = (int) a.get("mode");
            int type = mode & Posix.S_IFMT;
            if (type == Posix.S_IFCHR && (long) a.get("rdev") == 0L) {
                out.put(path, new Change(path, Kind.DELETED));
                any = true;
                continue;
            }
            Path below = lookup(lowers, path);
            if (type == Posix.S_IFDIR) {
                boolean opaque = TarWriter.isOpaque(child);
                boolean inner = walk(child, path, lowers, exclude, out);
                if (below == null) {
                    out.put(path, new Change(path, Kind.ADDED));
                    any = true;
                } else if (inner || opaque || modeOf(below) != mode) {
                    out.put(path, new Change(path, Kind.MODIFIED));
                    any = true;
                }
                continue;
            }
            out.put(path, new Change(path, below == null ? Kind.ADDED : Kind.MODIFIED));
            any = true;
        }
        return any;
    }

    /** The path in the topmost lower layer that has it, or null when absent or whited out. */
    private static Path lookup(List<Path> lowers, String rel) throws IOException {
        for (Path lower : lowers) {
            Path p = lower.resolve(rel.substring(1));
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            if (((int) a.get("mode") & Posix.S_IFMT) == Posix.S_IFCHR && (long) a.get("rdev") == 0L) {
                return null;
            }
            return p;
        }
        return null;
    }

    private static int modeOf(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }
}
