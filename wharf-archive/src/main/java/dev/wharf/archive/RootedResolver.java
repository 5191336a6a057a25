package dev.wharf.archive;

import dev.wharf.base.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves tar entry names inside a root directory as if the root were a chroot: a name that
 * climbs above the root with {@code ..} is refused, an absolute name is taken relative to the
 * root, and every symlink met among the parent directories is followed <em>within</em> the root
 * (an absolute link target restarts at the root, {@code ..} stops at the root). The final
 * component of a name is never followed. This is the lexical equivalent of moby's
 * {@code FollowSymlinkInScope} and of {@code filepath-securejoin}.
 *
 * <p>It checks, then acts: a process that swaps a directory for a symlink between the check and
 * the use can still win the race, as with moby's non-chroot code paths.
 */
final class RootedResolver {

    private static final int MAX_SYMLINKS = 255;

    private final Path root;

    RootedResolver(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * Splits a tar name into clean components: no empty, {@code .} or {@code ..} parts. A leading
     * {@code /} is dropped (confined to the root); a {@code ..} that would climb above the root is
     * refused.
     */
    static List<String> clean(String name, String what) {
        if (name.indexOf('\0') >= 0) {
            throw new InvalidArgumentException(what + " " + quote(name) + " contains a NUL byte");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new InvalidArgumentException(
                            what + " " + quote(name) + " points outside the extraction root");
                }
                parts.removeLast();
                continue;
            }
            parts.add(part);
        }
        return parts;
    }

    /**
     * The directory named by {@code parts}, resolved inside the root; missing directories are
     * created 0755 when {@code create} is set. Fails when a component is not a directory.
     */
    Path resolveDir(List<String> parts, String entry, boolean create) throws IOException {
        Deque<String> todo = new ArrayDeque<>(parts);
        List<String> current = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!current.isEmpty()) {
                    current.removeLast();
                }
                continue;
            }
            Path path = toPath(current).resolve(part);
            BasicFileAttributes attrs = lstat(path);
            if (attrs == null) {
                if (!create) {
                    throw new InvalidArgumentException("entry " + quote(entry) + ": no such directory "
                            + quote(display(current, part)) + " in the archive root");
                }
                Files.createDirectory(path);
                Posix.chmod(path, 0755);
                current.add(part);
            } else if (attrs.isSymbolicLink()) {
                if (++links > MAX_SYMLINKS) {
                    throw new InvalidArgumentException(
                            "entry " + quote(entry) + ": too many levels of symbolic links");
                }
                String target = Files.readSymbolicLink(path).toString();
                if (target.startsWith("/")) {
                    current.clear();
                }
                String[] targetParts = target.split("/");
                for (int i = targetParts.length - 1; i >= 0; i--) {
                    todo.addFirst(targetParts[i]);
                }
            } else if (attrs.isDirectory()) {
                current.add(part);
            } else {
                throw new InvalidArgumentException("entry " + quote(entry) + ": "
                        + quote(display(current, part)) + " is not a directory");
            }
        }
        return toPath(current);
    }

    /** The attributes of {@code path} without following a symlink, or null when it is absent. */
    static BasicFileAttributes lstat(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private Path toPath(List<String> parts) {
        try {
            return parts.isEmpty() ? root : root.resolve(String.join("/", parts));
        } catch (InvalidPathException e) {
            throw new InvalidArgumentException("invalid path " + quote(String.join("/", parts)), e);
        }
    }

    private static String display(List<String> current, String part) {
        return current.isEmpty() ? part : String.join("/", current) + "/" + part;
    }

    static String quote(String s) {
        return "\"" + s + "\"";
    }
}
