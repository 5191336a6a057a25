package dev.wharf.cli.command.container;

/**
 * The path rules of {@code docker cp} (moby's {@code pkg/archive/copy.go}), on plain strings so
 * that both sides, host and container, use them: how paths split into a directory and a base name,
 * when a followed symlink renames the copy, and where an archive is extracted and under which name.
 */
final class CopyPaths {

    /** {@code cannot copy directory}: a directory onto an existing file. */
    static final String CANNOT_COPY_DIR = "cannot copy directory";
    /** {@code no such directory}: a file to a missing path ending in {@code /}. */
    static final String DIR_NOT_EXISTS = "no such directory";

    private CopyPaths() {
    }

    /** What is known about one end of a copy. */
    record Info(String path, boolean exists, boolean isDir, String rebaseName) {
        Info {
            rebaseName = rebaseName == null ? "" : rebaseName;
        }
    }

    /**
     * Where to extract and how to name the copy: the archive's top entry {@code fromBase} becomes
     * {@code toBase} (equal when nothing is renamed), extracted into the directory {@code dir}.
     */
    record Plan(String dir, String fromBase, String toBase) {
        boolean renames() {
            return !fromBase.equals(toBase);
        }
    }

    /** A copy the rules refuse, with Docker's message. */
    static final class CopyException extends RuntimeException {
        CopyException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * moby's {@code PrepareArchiveCopy}: a directory copied into an existing directory nests in it;
     * anything copied to a missing path (whose parent exists) takes that path's name; a file onto
     * an existing file replaces it; a file onto a directory goes into it. {@code src.rebaseName}, when
     * set, is the name the archive's top entry already has.
     */
    static Plan prepare(Info src, Info dst) {
        String[] d = split(dst.path());
        String srcBase = src.rebaseName().isEmpty() ? split(src.path())[1] : src.rebaseName();
        if (dst.exists() && dst.isDir()) {
            return new Plan(dst.path(), srcBase, srcBase);
        }
        if (dst.exists() && src.isDir()) {
            throw new CopyException(CANNOT_COPY_DIR);
        }
        if (!dst.exists() && !src.isDir() && assertsDirectory(dst.path())) {
            throw new CopyException(DIR_NOT_EXISTS);
        }
        return new Plan(d[0], srcBase, d[1]);
    }

    /** moby's {@code GetRebaseName}: the resolved path keeps the asked one's trailing {@code /} or {@code /.}. */
    static Info rebase(String path, String resolved, boolean exists, boolean isDir) {
        if (specifiesCurrentDir(path) && !specifiesCurrentDir(resolved)) {
            resolved += "/.";
        }
        if (hasTrailingSeparator(path) && !hasTrailingSeparator(resolved)) {
            resolved += "/";
        }
        String rebase = base(path).equals(base(resolved)) ? "" : base(path);
        return new Info(resolved, exists, isDir, rebase);
    }

    /** moby's {@code SplitPathDirEntry}: Go's {@code Dir} and {@code Base} of the cleaned path, keeping a final {@code .}. */
    static String[] split(String path) {
        String cleaned = clean(path);
        if (specifiesCurrentDir(path)) {
            cleaned = cleaned.equals("/") ? "/." : cleaned + "/.";
        }
        return new String[] {dir(cleaned), base(cleaned)};
    }

    static boolean hasTrailingSeparator(String path) {
        return path.length() > 1 && path.endsWith("/");
    }

    static boolean specifiesCurrentDir(String path) {
        return base(path).equals(".");
    }

    /** A path that must name a directory: it ends in {@code /} or {@code /.}. */
    static boolean assertsDirectory(String path) {
        return hasTrailingSeparator(path) || specifiesCurrentDir(path);
    }

    /** Go's {@code filepath.Clean}. */
    static String clean(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean abs = path.startsWith("/");
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!out.isEmpty() && !out.peekLast().equals("..")) {
                    out.removeLast();
                } else if (!abs) {
                    out.addLast("..");
                }
                continue;
            }
            out.addLast(p);
        }
        String s = String.join("/", out);
        return abs ? "/" + s : s.isEmpty() ? "." : s;
    }

    /** Go's {@code filepath.Base}. */
    static String base(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/")) {
            return "/";
        }
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** Go's {@code filepath.Dir}. */
    static String dir(String path) {
        int i = path.lastIndexOf('/');
        return clean(i < 0 ? "." : path.substring(0, i + 1));
    }

    /** {@code target} of a symlink at {@code linkPath}, made absolute against the link's directory. */
    static String joinLink(String linkPath, String target) {
        if (target.startsWith("/")) {
            return target;
        }
        return clean(split(linkPath)[0] + "/" + target);
    }
}
