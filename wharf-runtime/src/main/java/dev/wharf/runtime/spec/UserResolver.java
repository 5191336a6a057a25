package dev.wharf.runtime.spec;

import dev.wharf.base.error.InvalidArgumentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Resolves Docker's {@code User} field ({@code "", name, uid, name:group, uid:gid}) against
 * {@code <rootfs>/etc/passwd} and {@code /etc/group}, as runc's {@code user.GetExecUser} does.
 * Symlinks are resolved as if {@code rootfs} were {@code /}, so they never lead out of it.
 */
public final class UserResolver {

    private static final int MAX_LINKS = 40;

    private UserResolver() {}

    public static ResolvedUser resolve(Path rootfs, String user) {
        String spec = user == null ? "" : user.strip();
        String userArg = spec;
        String groupArg = "";
        int colon = spec.indexOf(':');
        if (colon >= 0) {
            userArg = spec.substring(0, colon);
            groupArg = spec.substring(colon + 1);
        }
        List<String[]> passwd = readDb(rootfs, "/etc/passwd");
        int uid = 0;
        int gid = 0;
        String home = "/";
        String matchedName = null;

        if (userArg.isEmpty()) {
            userArg = "0";
        }
        Integer numericUid = parseId(userArg);
        String[] entry = null;
        for (String[] p : passwd) {
            if (p.length < 4) {
                continue;
            }
            if (numericUid == null ? p[0].equals(userArg) : String.valueOf(numericUid).equals(p[2])) {
                entry = p;
                break;
            }
        }
        if (entry != null) {
            Integer u = parseId(entry[2]);
            Integer g = parseId(entry[3]);
            if (u == null || g == null) {
                throw new InvalidArgumentException("invalid passwd entry for user " + userArg);
            }
            uid = u;
            gid = g;
            matchedName = entry[0];
            if (entry.length > 5 && !entry[5].isEmpty()) {
                home = entry[5];
            }
        } else if (numericUid != null) {
            uid = numericUid;
        } else {
            throw new InvalidArgumentException(
                    "unable to find user " + userArg + ": no matching entries in passwd file");
        }

        List<Integer> extra = new ArrayList<>();
        if (!groupArg.isEmpty()) {
            Integer numericGid = parseId(groupArg);
            Optional<Integer> found = Optional.empty();
            for (String[] g : readDb(rootfs, "/etc/group")) {
                if (g.length < 3) {
                    continue;
                }
                if (numericGid == null ? g[0].equals(groupArg) : String.valueOf(numericGid).equals(g[2])) {
                    found = Optional.ofNullable(parseId(g[2]));
                    break;
                }
            }
            if (found.isPresent()) {
                gid = found.get();
            } else if (numericGid != null) {
                gid = numericGid;
            } else {
                throw new InvalidArgumentException(
                        "unable to find group " + groupArg + ": no matching entries in group file");
            }
        } else if (matchedName != null) {
            for (String[] g : readDb(rootfs, "/etc/group")) {
                if (g.length < 4 || g[3].isEmpty()) {
                    continue;
                }
                for (String member : g[3].split(",")) {
                    if (member.strip().equals(matchedName)) {
                        Integer id = parseId(g[2]);
                        if (id != null && id != gid && !extra.contains(id)) {
                            extra.add(id);
                        }
                        break;
                    }
                }
            }
        }
        return new ResolvedUser(uid, gid, extra, home);
    }

    private static Integer parseId(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        long v = Long.parseLong(s);
        if (v > Integer.MAX_VALUE) {
            throw new InvalidArgumentException("uids and gids must be in range 0-" + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    /** The colon-separated entries of a passwd-style file; empty when the file does not exist. */
    private static List<String[]> readDb(Path rootfs, String path) {
        try {
            Path file = resolveInRoot(rootfs, path);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return List.of();
            }
            List<String[]> out = new ArrayList<>();
            for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                out.add(l.split(":", -1));
            }
            return out;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Resolves {@code path} inside {@code root} following symlinks with {@code root} as "/", like
     * {@code filepath-securejoin}. The result is a path under root with no symlink components
     * (except possibly a dangling last one's target not existing).
     */
    public static Path resolveInRoot(Path root, String path) throws IOException {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, path);
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pop();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path candidate = join(root, done).resolve(c);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links: " + path);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                push(todo, target);
                continue;
            }
            done.add(c);
        }
        return join(root, done);
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.push(parts[i]);
        }
    }

    private static Path join(Path root, List<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }
}
