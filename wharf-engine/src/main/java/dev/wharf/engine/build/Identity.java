package dev.wharf.engine.build;

import dev.wharf.archive.ScopedPath;
import dev.wharf.base.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The owner COPY/ADD {@code --chown} gives files: numbers, or names looked up in the image's passwd and group. */
record Identity(int uid, int gid) {

    static final Identity ROOT = new Identity(0, 0);

    /** {@code user[:group]}; names are read from {@code root}'s /etc/passwd and /etc/group (null root: numbers only). */
    static Identity parse(String chown, Path root) throws IOException {
        if (chown == null || chown.isEmpty()) {
            return ROOT;
        }
        int colon = chown.indexOf(':');
        String user = colon < 0 ? chown : chown.substring(0, colon);
        String group = colon < 0 ? null : chown.substring(colon + 1);
        int uid;
        int gid;
        if (user.matches("\\d+")) {
            uid = Integer.parseInt(user);
            gid = uid;
        } else {
            String[] pw = lookup(root, "/etc/passwd", user, "unable to find user " + user
                    + ": no matching entries in passwd file");
            uid = Integer.parseInt(pw[2]);
            gid = Integer.parseInt(pw[3]);
        }
        if (group != null && !group.isEmpty()) {
            if (group.matches("\\d+")) {
                gid = Integer.parseInt(group);
            } else {
                gid = Integer.parseInt(lookup(root, "/etc/group", group, "unable to find group " + group
                        + ": no matching entries in group file")[2]);
            }
        } else if (user.matches("\\d+")) {
            gid = uid;
        }
        return new Identity(uid, gid);
    }

    private static String[] lookup(Path root, String file, String name, String notFound) throws IOException {
        if (root == null) {
            throw new InvalidArgumentException(notFound);
        }
        Path p = ScopedPath.resolve(root, file, true);
        if (p == null || !Files.isRegularFile(p)) {
            throw new InvalidArgumentException(notFound);
        }
        List<String> lines = Files.readAllLines(p);
        for (String l : lines) {
            String[] f = l.split(":", -1);
            if (f.length >= 3 && f[0].equals(name) && f[2].matches("\\d+")) {
                if (f.length < 4 || !f[3].matches("\\d+")) {
                    return new String[] {f[0], f[1], f[2], f[2]};
                }
                return f;
            }
        }
        throw new InvalidArgumentException(notFound);
    }
}
